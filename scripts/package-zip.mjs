// Store packages (no zip tool needed), into release/:
//   <name>-<version>.zip          dist/ for the Chrome Web Store
//   <name>-<version>-firefox.zip  dist-firefox/ for addons.mozilla.org
//   <name>-<version>-source.zip   the source AMO asks for with a bundled add-on: every file git
//                                 tracks (no node_modules, no build output); README says how to build.
import { readdirSync, readFileSync, statSync, mkdirSync, writeFileSync, existsSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { deflateRawSync } from 'node:zlib';

const root = path.resolve(import.meta.dirname, '..');
const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(buf) {
  let c = 0xffffffff;
  for (const byte of buf) c = CRC_TABLE[(c ^ byte) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function walk(dir) {
  return readdirSync(dir).sort().flatMap((name) => {
    const full = path.join(dir, name);
    return statSync(full).isDirectory() ? walk(full) : [full];
  });
}

/** Writes a zip of `files` (absolute paths) named relative to `base`. */
function writeZip(base, files, out) {
  const locals = [];
  const centrals = [];
  let offset = 0;
  for (const file of files) {
    const name = Buffer.from(path.relative(base, file).split(path.sep).join('/'));
    const data = readFileSync(file);
    const packed = deflateRawSync(data, { level: 9 });
    const crc = crc32(data);
    const header = Buffer.alloc(30);
    header.writeUInt32LE(0x04034b50, 0);
    header.writeUInt16LE(20, 4);
    header.writeUInt16LE(0x0800, 6); // UTF-8 names
    header.writeUInt16LE(8, 8); // deflate
    header.writeUInt32LE(0x00210000, 10); // fixed 1980-01-01 timestamp: reproducible zips
    header.writeUInt32LE(crc, 14);
    header.writeUInt32LE(packed.length, 18);
    header.writeUInt32LE(data.length, 22);
    header.writeUInt16LE(name.length, 26);
    locals.push(header, name, packed);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(0x0800, 8);
    central.writeUInt16LE(8, 10);
    central.writeUInt32LE(0x00210000, 12);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(packed.length, 20);
    central.writeUInt32LE(data.length, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(offset, 42);
    centrals.push(central, name);
    offset += header.length + name.length + packed.length;
  }
  const centralSize = centrals.reduce((sum, b) => sum + b.length, 0);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(centrals.length / 2, 8);
  end.writeUInt16LE(centrals.length / 2, 10);
  end.writeUInt32LE(centralSize, 12);
  end.writeUInt32LE(offset, 16);

  mkdirSync(path.dirname(out), { recursive: true });
  writeFileSync(out, Buffer.concat([...locals, ...centrals, end]));
  console.log(`${path.relative(root, out)}: ${centrals.length / 2} files, ${statSync(out).size} bytes`);
}

function builtFiles(dir) {
  if (!existsSync(path.join(dir, 'manifest.json'))) throw new Error(`${path.relative(root, dir)}/ has no build: run the build first`);
  return walk(dir).filter((file) => !file.includes(`${path.sep}.vite${path.sep}`));
}

const version = JSON.parse(readFileSync(path.join(root, 'dist', 'manifest.json'), 'utf8')).version;
const release = (suffix) => path.join(root, 'release', `${pkg.name}-${version}${suffix}.zip`);
writeZip(path.join(root, 'dist'), builtFiles(path.join(root, 'dist')), release(''));
writeZip(path.join(root, 'dist-firefox'), builtFiles(path.join(root, 'dist-firefox')), release('-firefox'));
const tracked = execFileSync('git', ['ls-files', '-z'], { cwd: root }).toString().split('\0').filter(Boolean);
writeZip(root, tracked.map((file) => path.join(root, file)).filter((file) => existsSync(file)), release('-source'));
