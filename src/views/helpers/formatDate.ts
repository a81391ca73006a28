// {{formatDate when}}: a date and time in the page's language and the district's time zone.
import type { HelperOptions } from 'handlebars';
import { formatDateTime } from '../../i18n/format.js';

export function formatDate(value: unknown, options: HelperOptions): string {
  if (!(value instanceof Date) && typeof value !== 'string' && typeof value !== 'number') return '';
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) return '';
  const language = (options.data as { root?: { lang?: string } }).root?.lang ?? 'zh-CN';
  return formatDateTime(date, language);
}
