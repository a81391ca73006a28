// {{fieldError errors "email"}}: the validation message for one field, if any.
export function fieldError(errors: unknown, field: string): string {
  if (!errors || typeof errors !== 'object') return '';
  const entry = (errors as Record<string, { msg?: unknown } | undefined>)[field];
  return typeof entry?.msg === 'string' ? entry.msg : '';
}
