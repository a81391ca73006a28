// {{t "auth.login.title"}} or {{t "auth.locked" until=lockedUntil}}: a message from the catalogue
// in the request's language (res.locals.t is the request's translator).
import type { HelperOptions } from 'handlebars';

type Translate = (key: string, values?: Record<string, unknown>) => string;

export function t(key: string, options: HelperOptions): string {
  const translate = (options.data as { root?: { t?: Translate } }).root?.t;
  return translate ? translate(key, options.hash as Record<string, unknown>) : key;
}
