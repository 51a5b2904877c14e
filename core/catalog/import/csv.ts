// RFC 4180 CSV: quoted fields may hold commas, quotes ("") and line breaks. Each record keeps
// the line it starts on, so an import report can point at it. CsvStream parses text as it
// arrives (an import is read a chunk at a time); parseCsv is the whole-text form.

export interface CsvRecord {
  line: number;
  fields: string[];
}

export class CsvError extends Error {
  constructor(
    readonly line: number,
    message: string,
    readonly code = 'MALFORMED_CSV',
  ) {
    super(message);
  }
}

/** A record (all its fields) may hold at most this many characters: a file cannot make one unbounded string. */
export const MAX_RECORD_CHARS = 1024 * 1024;

export class CsvStream {
  private line = 1;
  private fields: string[] = [];
  private field = '';
  private size = 0;
  private start = 1;
  private quoted = false;
  /** A quote seen inside a quoted field at the end of a piece: the next character decides. */
  private quotePending = false;
  /** A \r seen at the end of a piece: a \n opening the next piece belongs to it. */
  private crPending = false;
  private atFieldStart = true;
  private first = true;

  constructor(private readonly maxRecordChars = MAX_RECORD_CHARS) {}

  /** Parses the next piece of text; returns the records it completed. */
  push(text: string): CsvRecord[] {
    const records: CsvRecord[] = [];
    let i = 0;
    if (this.first) {
      this.first = false;
      if (text.charCodeAt(0) === 0xfeff) i = 1;
    }
    if (this.crPending) {
      this.crPending = false;
      if (text[i] === '\n') i++;
    }
    const n = text.length;
    while (i < n) {
      const c = text[i];
      if (this.quoted) {
        if (this.quotePending) {
          this.quotePending = false;
          if (c === '"') {
            this.add('"');
            i++;
            continue;
          }
          this.quoted = false;
          continue; // c is read again outside the quotes
        }
        if (c === '"') {
          if (i + 1 === n) {
            this.quotePending = true;
            i++;
            continue;
          }
          if (text[i + 1] === '"') {
            this.add('"');
            i += 2;
            continue;
          }
          this.quoted = false;
          i++;
          continue;
        }
        if (c === '\r' && text[i + 1] === '\n') {
          i++;
          continue;
        }
        if (c === '\n') this.line++;
        this.add(c);
        i++;
        continue;
      }
      if (c === '"' && this.atFieldStart) {
        this.quoted = true;
        this.atFieldStart = false;
        i++;
        continue;
      }
      if (c === ',') {
        this.fields.push(this.field);
        this.field = '';
        this.atFieldStart = true;
        i++;
        continue;
      }
      if (c === '\r' || c === '\n') {
        this.endRecord(records);
        if (c === '\r') {
          if (i + 1 === n) this.crPending = true;
          else if (text[i + 1] === '\n') i++;
        }
        i++;
        this.line++;
        this.start = this.line;
        continue;
      }
      // Plain characters up to the next special one, in one slice.
      let j = i + 1;
      while (j < n) {
        const d = text.charCodeAt(j);
        if (d === 44 || d === 10 || d === 13 || d === 34) break;
        j++;
      }
      this.add(text.slice(i, j));
      this.atFieldStart = false;
      i = j;
    }
    return records;
  }

  /** The end of the text: the last record, or an error for a quoted field never closed. */
  end(): CsvRecord[] {
    if (this.quotePending) {
      this.quotePending = false;
      this.quoted = false;
    }
    if (this.quoted) throw new CsvError(this.start, `line ${this.start}: a quoted field is never closed`);
    const records: CsvRecord[] = [];
    if (this.field !== '' || this.fields.length) this.endRecord(records);
    return records;
  }

  private add(s: string): void {
    this.size += s.length;
    if (this.size > this.maxRecordChars) throw new CsvError(this.start, `line ${this.start}: a record is longer than ${this.maxRecordChars} characters`, 'RECORD_TOO_LONG');
    this.field += s;
  }

  private endRecord(records: CsvRecord[]): void {
    this.fields.push(this.field);
    if (!(this.fields.length === 1 && this.fields[0] === '')) records.push({ line: this.start, fields: this.fields });
    this.fields = [];
    this.field = '';
    this.size = 0;
    this.atFieldStart = true;
  }
}

export function parseCsv(text: string): CsvRecord[] {
  const csv = new CsvStream(Infinity);
  return [...csv.push(text), ...csv.end()];
}
