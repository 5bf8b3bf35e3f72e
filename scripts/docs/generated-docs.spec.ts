import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { envVariables } from './configuration';
import { GENERATED_DOCS } from './generated-docs';

const ROOT = join(__dirname, '..', '..');

/**
 * The reference documents are generated from the code they describe (the env DTO, the metrics
 * registry, the alert rules): a committed file that differs from what the generator writes now is
 * out of date — a variable, metric or alert added, changed or removed without its documentation.
 */
describe('generated reference documents', () => {
  it.each(GENERATED_DOCS.map((doc) => [doc.file, doc]))('%s is up to date', (file, doc) => {
    const committed = readFileSync(join(ROOT, file), 'utf8');
    const expected = doc.render(ROOT);
    if (committed !== expected) {
      throw new Error(`${file} is out of date: run \`${doc.command}\` and commit the result`);
    }
  });

  it('renders the same text twice (deterministic)', () => {
    for (const doc of GENERATED_DOCS) expect(doc.render(ROOT)).toBe(doc.render(ROOT));
  });

  it('knows every variable of the env DTO with its meaning, role and section', () => {
    const variables = envVariables(ROOT);
    expect(variables.length).toBeGreaterThan(90);
    const incomplete = variables.filter(
      (v) => !v.meaning || v.roles === '—' || v.group === 'Other',
    );
    expect(incomplete.map((v) => v.name)).toEqual([]);
    const role = variables.find((v) => v.name === 'ROLE');
    expect(role).toMatchObject({ allowed: '`frontend`, `backend`, `all`', required: 'required' });
    expect(variables.find((v) => v.name === 'HTTP_REQUEST_TIMEOUT_MS')).toMatchObject({
      default: '30000',
      allowed: 'integer 1000 … 3600000',
    });
  });
});
