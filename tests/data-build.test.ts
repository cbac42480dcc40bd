import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { PNG } from 'pngjs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { IMAGE_PIXELS } from '../src/core/classes.ts';
import { IdxError } from '../src/core/idx.ts';
import { parseManifest, type DatasetManifest, type Split } from '../src/core/manifest.ts';
import { unpackSprite } from '../src/core/sprites.ts';
import { buildDataset, GENERATOR, type BuildOptions } from '../scripts/data.ts';
import { loadSplit } from '../scripts/lib/fashion-data.ts';
import { DataNotFoundError, DEBIAN_DIR, locateFashionMnist, type LocateOptions } from '../scripts/lib/locate-data.ts';
import { fakeLabels, firstDifference, labelsIdx, tempDir, writeFashionFixture, type FashionFixture } from './helpers/idx-fixtures.ts';

let root: string;
beforeEach(() => {
  root = tempDir('fmnist-build-');
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

/** Locate options that never see this machine's real data: every place is inside `root`. */
function isolated(extra: LocateOptions = {}): LocateOptions {
  return { env: {}, debianDir: join(root, 'no-debian'), cacheDir: join(root, 'no-cache'), download: false, ...extra };
}

/** Build options reading the fixture through FASHION_MNIST_DIR. */
function fromDir(dir: string, outDir: string, extra: Partial<BuildOptions> = {}): BuildOptions {
  return { outDir, locate: isolated({ env: { FASHION_MNIST_DIR: dir } }), ...extra };
}

/** Every file of a folder, name → bytes. */
function snapshot(dir: string): Map<string, Buffer> {
  return new Map(
    readdirSync(dir)
      .sort()
      .map((name) => [name, readFileSync(join(dir, name))]),
  );
}

/** Decodes a split's shards back into images, checking each file's size and hash against the manifest. */
function readBackSplit(outDir: string, split: Split): { images: Uint8Array; labels: Uint8Array } {
  const images = new Uint8Array(split.count * IMAGE_PIXELS);
  for (const shard of split.shards) {
    const bytes = readFileSync(join(outDir, shard.file));
    expect(bytes.length, shard.file).toBe(shard.bytes);
    expect(createHash('sha256').update(bytes).digest('hex'), shard.file).toBe(shard.sha256);
    const png = PNG.sync.read(bytes);
    expect([png.width, png.height]).toEqual([shard.width, shard.height]);
    images.set(unpackSprite(png.data, png.width, png.height, 4, shard.count), shard.firstIndex * IMAGE_PIXELS);
  }
  const labels = readFileSync(join(outDir, split.labels.file));
  expect(createHash('sha256').update(labels).digest('hex')).toBe(split.labels.sha256);
  return { images, labels: new Uint8Array(labels) };
}

describe('data build on small generated IDX files', () => {
  // 5003 training images: two shards, the second partial; 130 test images: one shard, partial row.
  let fixture: FashionFixture;
  let src: string;
  beforeEach(() => {
    src = join(root, 'src');
    fixture = writeFashionFixture(mkdir(src), { train: 5003, test: 130 });
  });

  it('builds labels, shards and a manifest that parses and round-trips', async () => {
    const out = join(root, 'out');
    const result = await buildDataset(fromDir(src, out));
    expect(result.status).toBe('built');

    const manifest = parseManifest(JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8')));
    expect(manifest).toEqual(result.manifest);
    expect(manifest.source.generator).toBe(GENERATOR);
    expect(manifest.source.inputs.map((i) => i.name)).toEqual([
      'train-images-idx3-ubyte.gz',
      'train-labels-idx1-ubyte.gz',
      't10k-images-idx3-ubyte.gz',
      't10k-labels-idx1-ubyte.gz',
    ]);
    expect(manifest.splits.train.shards.map((s) => [s.file, s.firstIndex, s.count, s.width, s.height])).toEqual([
      ['train-00.png', 0, 5000, 2800, 1400],
      ['train-01.png', 5000, 3, 84, 28],
    ]);
    expect(manifest.splits.test.shards.map((s) => s.file)).toEqual(['test-00.png']);
    expect(readdirSync(out).sort()).toEqual([
      'manifest.json',
      'test-00.png',
      'test-labels.bin',
      'train-00.png',
      'train-01.png',
      'train-labels.bin',
    ]);

    for (const split of ['train', 'test'] as const) {
      const back = readBackSplit(out, manifest.splits[split]);
      expect(firstDifference(back.images, fixture[split].images), `${split} images`).toBe(-1);
      expect(firstDifference(back.labels, fixture[split].labels), `${split} labels`).toBe(-1);
    }
    // Nothing temporary is left beside the output.
    expect(readdirSync(root).sort()).toEqual(['out', 'src']);
  });

  it('skips a second run when nothing changed, and rebuilds when something did', async () => {
    const out = join(root, 'out');
    expect((await buildDataset(fromDir(src, out))).status).toBe('built');
    expect((await buildDataset(fromDir(src, out))).status).toBe('up-to-date');
    expect((await buildDataset(fromDir(src, out, { force: true }))).status).toBe('built');

    rmSync(join(out, 'train-01.png'));
    expect((await buildDataset(fromDir(src, out))).status, 'a listed file is missing').toBe('built');

    writeFileSync(join(out, 'test-labels.bin'), 'x');
    expect((await buildDataset(fromDir(src, out))).status, 'a file has the wrong size').toBe('built');

    writeFileSync(fixture.paths['t10k-labels-idx1-ubyte'], gzipSync(labelsIdx(fakeLabels(130, 99))));
    expect((await buildDataset(fromDir(src, out))).status, 'an input changed').toBe('built');
    expect((await buildDataset(fromDir(src, out))).status).toBe('up-to-date');

    const manifestPath = join(out, 'manifest.json');
    const edited = JSON.parse(readFileSync(manifestPath, 'utf8')) as DatasetManifest;
    edited.source.generator = 'older generator';
    writeFileSync(manifestPath, JSON.stringify(edited));
    expect((await buildDataset(fromDir(src, out))).status, 'another generator version').toBe('built');
  });

  it('is deterministic: two builds into different folders are byte-identical', async () => {
    await buildDataset(fromDir(src, join(root, 'a')));
    await buildDataset(fromDir(src, join(root, 'b')));
    const a = snapshot(join(root, 'a'));
    const b = snapshot(join(root, 'b'));
    expect([...a.keys()]).toEqual([...b.keys()]);
    for (const [name, bytes] of a) expect(bytes.equals(b.get(name)!), name).toBe(true);
  });

  it('gives the same images from raw (not gzipped) input files', async () => {
    const rawDir = mkdir(join(root, 'raw'));
    writeFashionFixture(rawDir, { train: 5003, test: 130, gzip: false });
    await buildDataset(fromDir(src, join(root, 'a')));
    await buildDataset(fromDir(rawDir, join(root, 'b')));
    for (const name of ['train-00.png', 'train-01.png', 'test-00.png', 'train-labels.bin', 'test-labels.bin']) {
      expect(readFileSync(join(root, 'a', name)).equals(readFileSync(join(root, 'b', name))), name).toBe(true);
    }
  });

  it('fails on a bad file in FASHION_MNIST_DIR, naming it, without looking elsewhere', async () => {
    // A complete, valid "Debian" folder exists too: it must not be used instead.
    const debian = mkdir(join(root, 'debian'));
    writeFashionFixture(debian, { train: 5, test: 2 });
    const bad = fixture.paths['t10k-images-idx3-ubyte'];
    writeFileSync(bad, readFileSync(bad).subarray(0, 200)); // cut-short gzip
    const options: BuildOptions = {
      outDir: join(root, 'out'),
      locate: isolated({ env: { FASHION_MNIST_DIR: src }, debianDir: debian }),
    };
    const err = await buildDataset(options).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(IdxError);
    expect((err as Error).message).toContain(`${bad}: corrupt gzip data`);
    expect(existsSync(join(root, 'out'))).toBe(false);

    // An incomplete explicit folder is an error too, naming what is missing.
    rmSync(fixture.paths['train-labels-idx1-ubyte']);
    const missing = await buildDataset(options).catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(DataNotFoundError);
    expect((missing as Error).message).toMatch(/^FASHION_MNIST_DIR=.*: missing train-labels-idx1-ubyte\(\.gz\)/);
  });

  it('leaves the previous output untouched when a build fails part-way', async () => {
    const out = join(root, 'out');
    await buildDataset(fromDir(src, out));
    const before = snapshot(out);
    // Test labels out of range: the training split is already written when this is found.
    writeFileSync(
      fixture.paths['t10k-labels-idx1-ubyte'],
      gzipSync(labelsIdx(Uint8Array.from({ length: 130 }, (_, i) => (i === 77 ? 12 : 1)))),
    );
    const lines: string[] = [];
    const err = await buildDataset(fromDir(src, out, { force: true, log: (l) => lines.push(l) })).catch((e: unknown) => e);
    expect((err as Error).message).toContain('label out of range at index 77: 12');
    expect(
      lines.some((l) => l.startsWith('train: 5003 images')),
      'failure came after the train split',
    ).toBe(true);

    const after = snapshot(out);
    expect([...after.keys()]).toEqual([...before.keys()]);
    for (const [name, bytes] of before) expect(after.get(name)!.equals(bytes), name).toBe(true);
    expect(readdirSync(root).sort(), 'no temporary folder left behind').toEqual(['out', 'src']);
  });
});

describe('parseManifest', () => {
  it('rejects wrong fields, naming them', async () => {
    const src = mkdir(join(root, 'src'));
    writeFashionFixture(src, { train: 5003, test: 3 });
    const { manifest } = await buildDataset(fromDir(src, join(root, 'out')));
    const broken = (edit: (m: DatasetManifest) => void): string => {
      const copy = structuredClone(manifest);
      edit(copy);
      try {
        parseManifest(copy);
      } catch (err) {
        return (err as Error).message;
      }
      return 'accepted';
    };
    expect(broken(() => {})).toBe('accepted');
    expect(broken((m) => ((m as { formatVersion: number }).formatVersion = 2))).toMatch(/^manifest\.json: formatVersion must be 1, got 2/);
    expect(broken((m) => (m.classNames[3] = 'Gown'))).toMatch(/classNames must be/);
    expect(broken((m) => (m.sprite.columns = 50))).toMatch(/sprite\.columns must be 100/);
    expect(broken((m) => delete (m.splits as Partial<DatasetManifest['splits']>).test)).toMatch(/splits\.test must be an object/);
    expect(broken((m) => (m.splits.train.labels.bytes = 5002))).toMatch(/splits\.train\.labels\.bytes must be 5003/);
    expect(broken((m) => (m.splits.train.shards[1].firstIndex = 4999))).toMatch(/splits\.train\.shards\[1\]\.firstIndex must be 5000/);
    expect(broken((m) => (m.splits.train.shards[0].height = 1428))).toMatch(/splits\.train\.shards\[0\]\.height must be 1400/);
    expect(broken((m) => m.splits.train.shards.pop())).toMatch(/splits\.train\.shards must have 2 entries/);
    expect(broken((m) => (m.splits.test.shards[0].file = '../x.png'))).toMatch(/splits\.test\.shards\[0\]\.file must be a plain file name/);
    expect(broken((m) => (m.splits.test.labels.sha256 = 'ABC'))).toMatch(/splits\.test\.labels\.sha256 must be 64 lowercase hex/);
    expect(broken((m) => (m.source.inputs[2].bytes = -1))).toMatch(/source\.inputs\[2\]\.bytes must be an integer/);
    expect(broken((m) => (m.splits.test.count = 0))).toMatch(/splits\.test\.count must be an integer ≥ 1/);
  });
});

describe('locating the data', () => {
  it('names every place tried and how to get the data when nothing is found', async () => {
    const err = await locateFashionMnist(isolated()).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DataNotFoundError);
    const message = (err as Error).message;
    expect(message).toContain('FASHION_MNIST_DIR: not set');
    expect(message).toContain(`${join(root, 'no-debian')} (Debian package dataset-fashion-mnist): folder does not exist`);
    expect(message).toContain(`${join(root, 'no-cache')} (local cache): folder does not exist`);
    expect(message).toContain('(official mirror): download disabled');
    expect(message).toContain('sudo apt-get update && sudo apt-get install -y dataset-fashion-mnist');
    expect(message).toContain('set FASHION_MNIST_DIR');
  });

  it('looks in FASHION_MNIST_DIR, then Debian, then the cache', async () => {
    const [dirA, dirB, dirC] = ['a', 'b', 'c'].map((n) => mkdir(join(root, n)));
    for (const d of [dirA, dirB, dirC]) writeFashionFixture(d);
    const all = { env: { FASHION_MNIST_DIR: dirA }, debianDir: dirB, cacheDir: dirC, download: false };
    expect((await locateFashionMnist(all)).dir).toBe(dirA);
    expect((await locateFashionMnist({ ...all, env: {} })).dir).toBe(dirB);
    rmSync(join(dirB, 't10k-labels-idx1-ubyte.gz')); // incomplete Debian folder: fall through
    const fromCache = await locateFashionMnist({ ...all, env: {} });
    expect(fromCache.dir).toBe(dirC);
    expect(fromCache.place).toMatch(/^local cache/);
  });

  it('reports a mirror that cannot be reached', async () => {
    const err = await locateFashionMnist(isolated({ download: true, mirrorUrl: 'http://127.0.0.1:9/', timeoutMs: 2000 })).catch(
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(DataNotFoundError);
    expect((err as Error).message).toMatch(
      /http:\/\/127\.0\.0\.1:9\/ \(official mirror\): download of .*train-images-idx3-ubyte\.gz failed/,
    );
  });

  describe('with a local mirror serving a wrong file', () => {
    let server: Server;
    let mirrorUrl: string;
    beforeEach(async () => {
      server = createServer((_req, res) => res.end(gzipSync(labelsIdx(fakeLabels(3)))));
      await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
      mirrorUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
    });
    afterEach(() => server.close());

    it('rejects the download by size and leaves nothing in the cache', async () => {
      const cacheDir = join(root, 'cache');
      const err = await locateFashionMnist(isolated({ cacheDir, download: true, mirrorUrl })).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(DataNotFoundError);
      expect((err as Error).message).toContain('train-images-idx3-ubyte.gz: decompressed size 11 bytes, expected 47040016');
      expect(readdirSync(cacheDir)).toEqual([]);
    });

    it('rejects a download of the right size but the wrong SHA-256', async () => {
      // Only the test labels are missing from the cache; the mirror sends 10,000 labels (the right size).
      const cacheDir = mkdir(join(root, 'cache'));
      const fixture = writeFashionFixture(cacheDir);
      rmSync(fixture.paths['t10k-labels-idx1-ubyte']);
      server.removeAllListeners('request');
      server.on('request', (_req, res) => res.end(gzipSync(labelsIdx(new Uint8Array(10_000)))));
      const err = await locateFashionMnist(isolated({ cacheDir, download: true, mirrorUrl })).catch((e: unknown) => e);
      expect((err as Error).message).toMatch(/t10k-labels-idx1-ubyte\.gz: SHA-256 [0-9a-f]{64} of the content, expected 0402a96d/);
      expect(existsSync(join(cacheDir, 't10k-labels-idx1-ubyte.gz'))).toBe(false);
    });
  });
});

describe('command line', () => {
  const tsx = join(process.cwd(), 'node_modules', '.bin', 'tsx');
  const run = (args: string[], env: Record<string, string>) =>
    spawnSync(tsx, ['scripts/data.ts', ...args], { encoding: 'utf8', env: { ...process.env, ...env } });

  it('exits 2 with usage on a bad argument', () => {
    const r = run(['--frobnicate'], {});
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('unknown argument "--frobnicate"');
    expect(r.stderr).toContain('usage: npx tsx scripts/data.ts [--out DIR] [--force]');
  });

  it('exits 1 with the message and no stack trace on a data error', () => {
    const r = run(['--out', join(root, 'out')], { FASHION_MNIST_DIR: join(root, 'nowhere') });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('FASHION_MNIST_DIR=');
    expect(r.stderr).toContain('folder does not exist');
    expect(r.stderr).not.toMatch(/^\s+at /m);
  });

  it('builds, then reports up to date', () => {
    const src = mkdir(join(root, 'src'));
    writeFashionFixture(src, { train: 12, test: 3 });
    const first = run(['--out', join(root, 'out')], { FASHION_MNIST_DIR: src });
    expect(first.status, first.stderr).toBe(0);
    expect(first.stdout).toContain('train: 12 images');
    const second = run(['--out', join(root, 'out')], { FASHION_MNIST_DIR: src });
    expect(second.stdout).toContain('up to date');
  });
});

const REAL_FILES = ['train-images-idx3-ubyte.gz', 'train-labels-idx1-ubyte.gz', 't10k-images-idx3-ubyte.gz', 't10k-labels-idx1-ubyte.gz'];

describe.skipIf(!REAL_FILES.every((f) => existsSync(join(DEBIAN_DIR, f))))('real Fashion-MNIST from the Debian package', () => {
  it('builds sprites that round-trip bit-exact for all 70,000 images', async () => {
    const locate: LocateOptions = { env: {}, cacheDir: join(root, 'no-cache'), download: false };
    const out = join(root, 'out');
    const { manifest } = await buildDataset({ outDir: out, locate });
    expect(manifest.splits.train.count).toBe(60_000);
    expect(manifest.splits.test.count).toBe(10_000);
    expect(manifest.splits.train.shards).toHaveLength(12);
    expect(manifest.splits.test.shards).toHaveLength(2);

    const located = await locateFashionMnist(locate);
    for (const split of ['train', 'test'] as const) {
      const source = loadSplit(located, split);
      const back = readBackSplit(out, manifest.splits[split]);
      expect(firstDifference(back.images, source.images), `${split} images`).toBe(-1);
      expect(firstDifference(back.labels, source.labels), `${split} labels`).toBe(-1);
    }
  });
});

/** Creates an empty folder and returns its path. */
function mkdir(dir: string): string {
  mkdirSync(dir, { recursive: true });
  return dir;
}
