// Packages the kubectl plugin for krew: one archive for every platform (the plugin is JavaScript
// and runs on the workstation's Node.js >= 20), and the krew manifest with the archive's sha256.
//
//   node dist/scripts/package-plugin.js --url-base URL [--version vX.Y.Z] [--dist DIR] [--out DIR]
//
// The archive holds what the compiled entry point dist/plugin/src/index.js reaches through its
// imports, and nothing else:
//
//   kubectl-lxc_attach         launcher (deploy/krew/kubectl-lxc_attach): finds node, runs lib/
//   README.md                  deploy/krew/README.md
//   lib/package.json           {"type": "module"}, so the compiled files load as ES modules
//   lib/plugin/src/*.js ...    the module graph's files under DIST, same relative paths
//   lib/common/src/*.js ...
//   lib/node_modules/PKG/...   each package the graph imports, with its runtime dependencies
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import {
  chmodSync, copyFileSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, realpathSync,
  rmSync, writeFileSync,
} from 'node:fs';
import { builtinModules } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const pluginEntry = 'plugin/src/index.js';
export const launcherName = 'kubectl-lxc_attach';

export type PackageErrorCode = 'PKG_ERR_ENTRY_MISSING' | 'PKG_ERR_UNRESOLVED' | 'PKG_ERR_OUTSIDE' |
  'PKG_ERR_SYMLINK' | 'PKG_ERR_USAGE' | 'PKG_ERR_TEMPLATE' | 'PKG_ERR_ARCHIVE';

export class PackageError extends Error {
  constructor(readonly code: PackageErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'PackageError';
  }
}

export interface PackageOptions {
  /** Compiled tree holding plugin/src/index.js (default: the repository's dist/). */
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
  /** Names of the npm packages in lib/node_modules, sorted. */
  packages: string[];
}

const staticImport = /^\s*(?:import|export)\s[^;]*?\sfrom\s*["']([^"']+)["']/gm;
const sideEffectImport = /^\s*import\s*["']([^"']+)["']/gm;
const dynamicImport = /\bimport\(\s*["']([^"']+)["']\s*\)/g;
const requireCall = /\brequire\(\s*["']([^"']+)["']\s*\)/g;

/** Module specifiers a compiled ES module imports (static, side-effect, literal dynamic, require). */
export function importSpecifiers(source: string): string[] {
  const found = new Set<string>();
  for (const re of [staticImport, sideEffectImport, dynamicImport, requireCall]) {
    for (const m of source.matchAll(re)) found.add(m[1]!);
  }
  return [...found];
}

function packageName(specifier: string): string {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]!;
}

function isBuiltin(specifier: string): boolean {
  return specifier.startsWith('node:') || builtinModules.includes(specifier.split('/')[0]!);
}

/** Directory of package `name` as Node resolves it from `fromDir`. */
function findPackage(name: string, fromDir: string, importer: string): string {
  for (let dir = fromDir; ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, 'node_modules', name);
    if (existsSync(path.join(candidate, 'package.json'))) return candidate;
    if (dir === path.dirname(dir)) break;
  }
  throw new PackageError('PKG_ERR_UNRESOLVED', `cannot find package ${name} imported by ${importer}`);
}

interface PackageJson {
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  peerDependenciesMeta?: Record<string, { optional?: boolean }>;
}

/** Files of the compiled tree the entry reaches, and the package directories it imports. */
export function moduleGraph(dist: string): { files: string[]; packages: string[] } {
  const entry = path.join(dist, pluginEntry);
  if (!existsSync(entry)) {
    throw new PackageError('PKG_ERR_ENTRY_MISSING',
      `${entry} is missing: build the plugin (plugin/src/index.ts) with npm run build:ts first`);
  }
  const files = new Set<string>();
  const packages = new Set<string>();
  const pending = [entry];
  while (pending.length) {
    const file = pending.pop()!;
    if (files.has(file)) continue;
    if (path.relative(dist, file).startsWith('..')) {
      throw new PackageError('PKG_ERR_OUTSIDE', `${file} is imported but lies outside ${dist}`);
    }
    files.add(file);
    if (!file.endsWith('.js') && !file.endsWith('.mjs')) continue;
    for (const spec of importSpecifiers(readFileSync(file, 'utf8'))) {
      if (spec.startsWith('./') || spec.startsWith('../')) {
        const target = path.resolve(path.dirname(file), spec);
        if (!existsSync(target) || !lstatSync(target).isFile()) {
          throw new PackageError('PKG_ERR_UNRESOLVED', `${file} imports ${spec}, which is not a file`);
        }
        pending.push(target);
      } else if (!isBuiltin(spec)) {
        addPackage(findPackage(packageName(spec), path.dirname(file), file), packages);
      }
    }
  }
  return { files: [...files].sort(), packages: [...packages].sort() };
}

/** Adds a package directory and, transitively, the packages it needs at run time. */
function addPackage(dir: string, packages: Set<string>): void {
  const real = realpathSync(dir);
  if (packages.has(real)) return;
  packages.add(real);
  const pkg = JSON.parse(readFileSync(path.join(real, 'package.json'), 'utf8')) as PackageJson;
  const required = Object.keys(pkg.dependencies ?? {});
  const optional = [
    ...Object.keys(pkg.optionalDependencies ?? {}),
    ...Object.keys(pkg.peerDependencies ?? {}).filter((p) => pkg.peerDependenciesMeta?.[p]?.optional),
  ];
  const peers = Object.keys(pkg.peerDependencies ?? {}).filter((p) => !pkg.peerDependenciesMeta?.[p]?.optional);
  // NB: @types packages hold only declarations, which the archive leaves out anyway.
  const runtime = (name: string): boolean => !name.startsWith('@types/');
  for (const name of [...required, ...peers].filter(runtime)) addPackage(findPackage(name, real, `${real}/package.json`), packages);
  for (const name of optional.filter(runtime)) {
    try {
      addPackage(findPackage(name, real, `${real}/package.json`), packages);
    } catch (err) {
      // NB: an optional dependency that is not installed is not needed at run time.
      if (!(err instanceof PackageError && err.code === 'PKG_ERR_UNRESOLVED')) throw err;
    }
  }
}

/** Files a package needs at run time: no type declarations, source maps or nested packages. */
function packageFiles(dir: string, rel = ''): string[] {
  const out: string[] = [];
  for (const e of readdirSync(path.join(dir, rel), { withFileTypes: true })) {
    const child = path.join(rel, e.name);
    if (e.isSymbolicLink()) throw new PackageError('PKG_ERR_SYMLINK', `${path.join(dir, child)} is a symlink (krew archives hold files only)`);
    if (e.isDirectory()) {
      if (e.name !== 'node_modules') out.push(...packageFiles(dir, child));
    } else if (!/\.(map|d\.[cm]?ts|ts|tsx)$/.test(e.name) && !/^(CHANGELOG|HISTORY)/i.test(e.name)) {
      out.push(child);
    }
  }
  return out;
}

function topNodeModules(dist: string): string {
  for (let dir = path.dirname(path.resolve(dist)); ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, 'node_modules'))) return realpathSync(path.join(dir, 'node_modules'));
    if (dir === path.dirname(dir)) return '';
  }
}

function put(stage: string, member: string, from: string, mode = 0o644): void {
  const to = path.join(stage, member);
  mkdirSync(path.dirname(to), { recursive: true, mode: 0o755 });
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
  const dist = path.resolve(opts.dist ?? path.join(root, 'dist'));
  const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { version: string };
  const version = opts.version ?? `v${pkg.version}`;
  if (!/^v\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$/.test(version)) {
    throw new PackageError('PKG_ERR_USAGE', `version ${version} is not vMAJOR.MINOR.PATCH`);
  }
  if (!/^https:\/\/\S+$/.test(opts.urlBase)) throw new PackageError('PKG_ERR_USAGE', `--url-base ${opts.urlBase} is not an https URL`);

  const graph = moduleGraph(dist);
  const nodeModules = topNodeModules(dist);
  const stage = mkdtempSync(path.join(os.tmpdir(), 'lxcat-krew-'));
  try {
    put(stage, launcherName, path.join(root, 'deploy/krew', launcherName), 0o755);
    put(stage, 'README.md', path.join(root, 'deploy/krew/README.md'));
    mkdirSync(path.join(stage, 'lib'), { mode: 0o755 });
    writeFileSync(path.join(stage, 'lib/package.json'),
      `${JSON.stringify({ name: 'lxc-attach-operator-plugin', version: version.slice(1), private: true, type: 'module' }, null, 2)}\n`);
    for (const f of graph.files) put(stage, path.join('lib', path.relative(dist, f)), f);
    const names: string[] = [];
    for (const dir of graph.packages) {
      const rel = path.relative(nodeModules, dir);
      if (!nodeModules || rel.startsWith('..')) {
        throw new PackageError('PKG_ERR_OUTSIDE', `package ${dir} is outside ${nodeModules || 'any node_modules'}`);
      }
      names.push(rel.split(`${path.sep}node_modules${path.sep}`).at(-1)!);
      for (const f of packageFiles(dir)) put(stage, path.join('lib/node_modules', rel, f), path.join(dir, f));
    }

    mkdirSync(opts.out, { recursive: true });
    const archiveName = `${launcherName}-${version}.tar.gz`;
    const archive = path.resolve(opts.out, archiveName);
    const tarFile = archive.replace(/\.gz$/, '');
    rmSync(archive, { force: true });
    const members = readdirSync(stage).sort();
    // Reproducible: sorted members, fixed owner and time, gzip without name and time stamp.
    const mtime = `@${process.env.SOURCE_DATE_EPOCH ?? '0'}`;
    try {
      execFileSync('tar', ['--sort=name', '--owner=0', '--group=0', '--numeric-owner', `--mtime=${mtime}`,
        '--format=gnu', '-cf', tarFile, '-C', stage, ...members], { stdio: 'pipe' });
      execFileSync('gzip', ['-n', '-9', '-f', tarFile], { stdio: 'pipe' });
    } catch (err) {
      throw new PackageError('PKG_ERR_ARCHIVE', `creating ${archive} failed`, { cause: err });
    }
    const sha256 = createHash('sha256').update(readFileSync(archive)).digest('hex');
    const manifest = path.resolve(opts.out, 'lxc-attach.yaml');
    writeFileSync(manifest, renderManifest(version, `${opts.urlBase.replace(/\/$/, '')}/${archiveName}`, sha256));
    const files = execFileSync('tar', ['-tzf', archive], { encoding: 'utf8' }).split('\n').filter((l) => l && !l.endsWith('/')).sort();
    return { archive, manifest, sha256, files, packages: names.sort() };
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
