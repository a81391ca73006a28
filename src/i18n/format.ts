// Dates and times as people in the district read them: their language, China Standard Time.
export const districtTimeZone = 'Asia/Shanghai';

export function formatDateTime(date: Date, language: string): string {
  return new Intl.DateTimeFormat(language, {
    dateStyle: 'medium',
    timeStyle: 'short',
    timeZone: districtTimeZone,
  }).format(date);
}
