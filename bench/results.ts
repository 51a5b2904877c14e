// The RESULT lines the wrk scripts print (key=value pairs), as records, for the report scripts.
import fs from 'node:fs';

export function readResults(file: string): Record<string, string>[] {
  return fs
    .readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.startsWith('RESULT '))
    .map((l) => Object.fromEntries(l.slice(7).split(' ').map((kv) => kv.split('=') as [string, string])));
}
