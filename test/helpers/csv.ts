/** RFC 4180: fields separated by commas, records by CRLF; quoted fields may hold both and "" for a quote. */
export function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  let field = '';
  let position = 0;
  while (position < text.length) {
    if (text[position] === '"') {
      position++;
      for (;;) {
        const quote = text.indexOf('"', position);
        if (quote < 0) throw new Error('unterminated quoted field');
        field += text.slice(position, quote);
        position = quote + 1;
        if (text[position] !== '"') break;
        field += '"';
        position++;
      }
    } else {
      const end = text.slice(position).search(/,|\r\n/);
      const stop = end < 0 ? text.length : position + end;
      field += text.slice(position, stop);
      if (/["\r\n]/.test(field)) throw new Error(`bare quote or line break in ${field}`);
      position = stop;
    }
    if (text.startsWith(',', position)) {
      record.push(field);
      field = '';
      position++;
    } else if (text.startsWith('\r\n', position) || position >= text.length) {
      record.push(field);
      records.push(record);
      record = [];
      field = '';
      position += 2;
    } else throw new Error(`unexpected ${text[position]} at ${position}`);
  }
  return records;
}
