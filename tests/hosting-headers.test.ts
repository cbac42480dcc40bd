/**
 * docs/hosting.md quotes the headers the page is served with exactly as scripts/lib/hosting-headers.ts
 * holds them (the module `npm run preview` and the browser tests' server use), in its header block
 * and in each example.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CONTENT_SECURITY_POLICY, HOSTING_HEADERS } from '../scripts/lib/hosting-headers.ts';

const docs = readFileSync(new URL('../docs/hosting.md', import.meta.url), 'utf8');

describe('docs/hosting.md', () => {
  it('lists exactly the headers of hosting-headers.ts', () => {
    const block = /```http\n([\s\S]*?)\n```/.exec(docs);
    expect(block, 'an ```http block').not.toBeNull();
    const headers = Object.fromEntries(
      block![1].split('\n').map((line) => {
        const at = line.indexOf(': ');
        return [line.slice(0, at), line.slice(at + 2)];
      }),
    );
    expect(headers).toEqual(HOSTING_HEADERS);
  });

  it('gives the same Content-Security-Policy wherever it quotes one, and explains each directive', () => {
    const quoted = [...docs.matchAll(/Content-Security-Policy:? "?([^"\n]+)"?/g)]
      .map((m) => m[1].trim())
      .filter((p) => p.startsWith('default-src'));
    expect(quoted.length).toBeGreaterThanOrEqual(3);
    for (const policy of quoted) expect(policy).toBe(CONTENT_SECURITY_POLICY);
    for (const directive of CONTENT_SECURITY_POLICY.split('; ')) {
      const name = directive.split(' ')[0];
      expect(docs, name).toMatch(new RegExp(`\\| .*\`${name}`));
    }
  });
});
