/**
 * Text between `<TAG>` and `</TAG>`, first occurrence, "" when absent: BiblePay's `ExtractXML`,
 * which the node uses on coinbase messages and the wallet on pool answers.
 */
export function extractXml(text: string, tag: string): string {
  const open = `<${tag}>`;
  const start = text.indexOf(open);
  if (start < 0) return '';
  const end = text.indexOf(`</${tag}>`, start + open.length);
  return end < 0 ? '' : text.slice(start + open.length, end);
}
