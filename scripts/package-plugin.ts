// Packages the kubectl plugin for krew: one archive for every platform (the plugin is JavaScript
// and runs on the workstation's Node.js >= 20), and the krew manifest with the archive's sha256.
//
//   node dist/scripts/package-plugin.js --url-base URL [--version vX.Y.Z] [--dist DIR] [--out DIR]
//
// The archive holds three files, and nothing else:
//
//   kubectl-lxc_attach         launcher (deploy/krew/kubectl-lxc_attach): checks node, runs the bundle
//   README.md                  deploy/krew/README.md
//   lib/kubectl-lxc_attach.mjs the plugin as one self-contained esbuild bundle (npm run build:plugin),
//                              the same file the npm bin kubectl-lxc_attach points to
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const bundleName = 'kubectl-lxc_attach.mjs';
const launcherName = 'kubectl-lxc_attach';

type PackageErrorCode = 'PKG_ERR_BUNDLE_MISSING' | 'PKG_ERR_USAGE' | 'PKG_ERR_TEMPLATE' | 'PKG_ERR_ARCHIVE';

class PackageError extends Error {
  constructor(readonly code: PackageErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'PackageError';
  }
}

interface PackageOptions {
  /** Directory holding the bundle kubectl-lxc_attach.mjs (default: the repository's dist/). */
  dist?: string;
  /** Directory for the archive and the manifest (created). */
  out: string;
  /** Version with the v prefix (default: v + package.json version). */
  version?: string;
  /** URL of the directory the archive is published in; the manifest's uri is URL/ARCHIVE. */
  urlBase: string;
}

export interface PackageResult {
  archive: string;
  manifest: string;
  sha256: string;
  /** Archive member paths (files only), sorted. */
  files: string[];
}

/** The bundle's path; throws PKG_ERR_BUNDLE_MISSING, naming it, when it is not a file. */
function findBundle(dist: string): string {
  const bundle = path.join(dist, bundleName);
  let isFile = false;
  try {
    isFile = statSync(bundle).isFile();
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  if (!isFile) {
    const rel = path.relative(root, bundle);
    const shown = rel.startsWith('..') || path.isAbsolute(rel) ? bundle : rel;
    throw new PackageError('PKG_ERR_BUNDLE_MISSING', `${shown} is missing: run npm run build`);
  }
  return bundle;
}

function put(stage: string, member: string, from: string, mode: number): void {
  const to = path.join(stage, member);
  // Explicit modes, so the umask cannot change the archive (and its sha256).
  if (path.dirname(member) !== '.') {
    mkdirSync(path.dirname(to), { recursive: true });
    chmodSync(path.dirname(to), 0o755);
  }
  copyFileSync(from, to);
  chmodSync(to, mode);
}

function renderManifest(version: string, uri: string, sha256: string): string {
  const template = readFileSync(path.join(root, 'deploy/krew/lxc-attach.yaml.tmpl'), 'utf8');
  const text = template.replaceAll('{{VERSION}}', version).replaceAll('{{URI}}', uri).replaceAll('{{SHA256}}', sha256);
  const left = /\{\{[^}]*\}\}/.exec(text);
  if (left) throw new PackageError('PKG_ERR_TEMPLATE', `deploy/krew/lxc-attach.yaml.tmpl has an unknown placeholder ${left[0]}`);
  parse(text); // NB: throws on a template that no longer renders to YAML.
  return text;
}

/** Builds the archive and the manifest; returns their paths and the archive's sha256. */
export function packagePlugin(opts: PackageOptions): PackageResult {
  const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { version: string };
  const version = opts.version ?? `v${pkg.version}`;
  if (!/^v\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$/.test(version)) {
    throw new PackageError('PKG_ERR_USAGE', `version ${version} is not vMAJOR.MINOR.PATCH`);
  }
  if (!/^https:\/\/\S+$/.test(opts.urlBase)) throw new PackageError('PKG_ERR_USAGE', `--url-base ${opts.urlBase} is not an https URL`);
  const bundle = findBundle(path.resolve(opts.dist ?? path.join(root, 'dist')));

  const stage = mkdtempSync(path.join(os.tmpdir(), 'lxcat-krew-'));
  try {
    put(stage, launcherName, path.join(root, 'deploy/krew', launcherName), 0o755);
    put(stage, 'README.md', path.join(root, 'deploy/krew/README.md'), 0o644);
    put(stage, `lib/${bundleName}`, bundle, 0o644);

    mkdirSync(opts.out, { recursive: true });
    const archiveName = `${launcherName}-${version}.tar.gz`;
    const archive = path.resolve(opts.out, archiveName);
    const tarFile = archive.replace(/\.gz$/, '');
    rmSync(archive, { force: true });
    // Reproducible: sorted members, fixed owner and time, gzip without name and time stamp.
    const mtime = `@${process.env.SOURCE_DATE_EPOCH ?? '0'}`;
    try {
      execFileSync('tar', ['--sort=name', '--owner=0', '--group=0', '--numeric-owner', `--mtime=${mtime}`,
        '--format=gnu', '-cf', tarFile, '-C', stage, 'README.md', launcherName, 'lib'], { stdio: 'pipe' });
      execFileSync('gzip', ['-n', '-9', '-f', tarFile], { stdio: 'pipe' });
    } catch (err) {
      rmSync(tarFile, { force: true });
      throw new PackageError('PKG_ERR_ARCHIVE', `creating ${archive} failed`, { cause: err });
    }
    const sha256 = createHash('sha256').update(readFileSync(archive)).digest('hex');
    const manifest = path.resolve(opts.out, 'lxc-attach.yaml');
    writeFileSync(manifest, renderManifest(version, `${opts.urlBase.replace(/\/$/, '')}/${archiveName}`, sha256));
    const files = execFileSync('tar', ['-tzf', archive], { encoding: 'utf8' }).split('\n').filter((l) => l && !l.endsWith('/')).sort();
    return { archive, manifest, sha256, files };
  } finally {
    rmSync(stage, { recursive: true, force: true });
  }
}

function parseArgs(argv: string[]): PackageOptions {
  const opts: Partial<PackageOptions> = { out: path.join(root, 'dist/krew') };
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i]!.split(/=(.*)/s, 2) as [string, string | undefined];
    const value = (): string => {
      const v = inline ?? argv[++i];
      if (v === undefined) throw new PackageError('PKG_ERR_USAGE', `${flag} needs a value`);
      return v;
    };
    switch (flag) {
      case '--url-base': opts.urlBase = value(); break;
      case '--version': opts.version = value(); break;
      case '--dist': opts.dist = value(); break;
      case '--out': opts.out = value(); break;
      default: throw new PackageError('PKG_ERR_USAGE', `unknown option ${flag}`);
    }
  }
  if (!opts.urlBase) throw new PackageError('PKG_ERR_USAGE', '--url-base URL is required (where the archive will be published)');
  return opts as PackageOptions;
}

if (process.argv[1] && realpathSync(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    const r = packagePlugin(parseArgs(process.argv.slice(2)));
    console.log(`wrote ${r.archive}\nwrote ${r.manifest}\nsha256 ${r.sha256}`);
  } catch (err) {
    console.error(`error: ${(err as Error).message}`);
    process.exitCode = 1;
  }
}
