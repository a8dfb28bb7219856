// Reads the JSONata differential corpus: tests/jsonata/corpus/*.jsonata.
//
// A case file holds one expression per line. Lines starting with `#` are
// comments; `@input NAME` selects the input for the lines after it (a file
// tests/jsonata/inputs/NAME.json, `none` for no input, or inline JSON
// after `@input =`); `@begin` ... `@end` wraps an expression written over
// several lines. The C++ test (tests/jsonata/corpus.cc) reads the same
// format.
import {readFileSync, readdirSync} from 'node:fs';
import {basename, join} from 'node:path';

export function readCases(file, inputsDir) {
  const lines = readFileSync(file, 'utf8').split('\n');
  const cases = [];
  let inputName = 'none';
  let block = null;
  lines.forEach((line, i) => {
    if (block !== null) {
      if (line.trim() === '@end') {
        cases.push({line: block.line, expr: block.text.join('\n'), input: inputName});
        block = null;
      } else {
        block.text.push(line);
      }
      return;
    }
    const t = line.trim();
    if (t === '' || t.startsWith('#')) return;
    if (t.startsWith('@input ')) {
      inputName = t.slice(7).trim();
      return;
    }
    if (t === '@begin') {
      block = {line: i + 1, text: []};
      return;
    }
    cases.push({line: i + 1, expr: line, input: inputName});
  });
  if (block !== null) throw new Error(`${file}: @begin without @end`);
  return cases;
}

export function loadInput(name, inputsDir) {
  if (name === 'none') return {defined: false};
  if (name.startsWith('=')) return {defined: true, value: JSON.parse(name.slice(1))};
  return {defined: true, value: JSON.parse(readFileSync(join(inputsDir, name + '.json'), 'utf8'))};
}

export function caseFiles(corpusDir) {
  return readdirSync(corpusDir).filter(f => f.endsWith('.jsonata')).sort()
      .map(f => join(corpusDir, f));
}

export function expectedFile(caseFile) {
  return caseFile.replace(/\.jsonata$/, '.expected.json');
}

export function caseId(file, c) {
  return `${basename(file)}:${c.line}`;
}
