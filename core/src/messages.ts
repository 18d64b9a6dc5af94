/** Renders an ESLint-style message template (`{{name}}` placeholders) so core and ESLint print the same text. */
export function renderMessage(template: string, data: Record<string, string>): string {
  return template.replace(/\{\{\s*([A-Za-z0-9_]+)\s*\}\}/g, (whole, key: string) =>
    Object.prototype.hasOwnProperty.call(data, key) ? data[key] : whole,
  );
}
