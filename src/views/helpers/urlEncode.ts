// {{urlEncode currentPath}}: a value made safe to put in a query string.
export function urlEncode(value: unknown): string {
  return typeof value === 'string' ? encodeURIComponent(value) : '';
}
