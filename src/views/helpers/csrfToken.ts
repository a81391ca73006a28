// {{csrfToken}}: the session's CSRF token for a form's hidden `_csrf` field. Generated only when
// a page renders a form, so pages without forms do not start a session.
import type { HelperOptions } from 'handlebars';

export function csrfToken(options: HelperOptions): string {
  const generate = (options.data as { root?: { csrfTokenFor?: () => string } }).root?.csrfTokenFor;
  return generate ? generate() : '';
}
