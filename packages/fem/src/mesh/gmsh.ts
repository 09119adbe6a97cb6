import { type Mesh, signedMeasure } from './types.js';
import { validateMesh } from './validate.js';

/**
 * Reads a Gmsh MSH 4.1 ASCII mesh. Triangles (element type 2) make a 2D mesh; without
 * triangles, lines (type 1) make a 1D mesh on the x axis. Lower-dimensional elements
 * (boundary lines, points) are ignored, nodes not used by a cell are dropped and cells are
 * reoriented counter-clockwise. Any malformed content throws an error naming the line.
 *
 * @example
 * import { readFileSync } from 'node:fs';
 * const mesh = readGmsh(readFileSync('square.msh', 'utf8'));
 * mesh.dim; // 2
 */
export function readGmsh(text: string): Mesh {
  if (typeof text !== 'string') throw new Error('readGmsh: text must be a string (the file contents)');
  const lines = text.split(/\r?\n/);
  let at = 0;
  const fail = (what: string): never => {
    throw new Error(`readGmsh: line ${at}: ${what}`);
  };
  const next = (): string[] => {
    while (at < lines.length) {
      const l = lines[at++].trim();
      if (l !== '') return l.split(/\s+/);
    }
    return fail('unexpected end of file');
  };
  const num = (s: string | undefined): number => {
    const v = Number(s);
    if (s === undefined || !Number.isFinite(v)) fail(`expected a number, got '${s}'`);
    return v;
  };
  const seek = (section: string): boolean => {
    at = 0;
    while (at < lines.length) if (lines[at++].trim() === section) return true;
    return false;
  };

  if (!seek('$MeshFormat')) fail('no $MeshFormat section: not a Gmsh mesh');
  const [version, fileType] = next();
  if (version !== '4.1') fail(`MSH version ${version} is not supported (expected 4.1)`);
  if (fileType !== '0') fail('binary MSH files are not supported (expected ASCII)');

  if (!seek('$Nodes')) fail('no $Nodes section');
  const [nBlocks, nNodes] = next().map(num);
  const tags: number[] = [];
  const xyz: number[] = [];
  for (let b = 0; b < nBlocks; b++) {
    const header = next().map(num);
    const parametric = header[2];
    const count = header[3];
    const start = tags.length;
    for (let i = 0; i < count; i++) tags.push(num(next()[0]));
    for (let i = 0; i < count; i++) {
      const c = next().map(num);
      if (c.length < 3 + (parametric ? 1 : 0)) fail('expected x y z coordinates');
      xyz.push(c[0], c[1], c[2]);
    }
    if (tags.length !== start + count) fail('node block is incomplete');
  }
  if (tags.length !== nNodes) fail(`expected ${nNodes} nodes, read ${tags.length}`);

  if (!seek('$Elements')) fail('no $Elements section');
  const [eBlocks] = next().map(num);
  const tris: number[] = [];
  const segs: number[] = [];
  for (let b = 0; b < eBlocks; b++) {
    const [, , type, count] = next().map(num);
    const nv = type === 1 ? 2 : type === 2 ? 3 : type === 15 ? 1 : -1;
    if (nv < 0) fail(`element type ${type} is not supported (only points 15, lines 1, triangles 2)`);
    const into = type === 2 ? tris : type === 1 ? segs : null;
    for (let i = 0; i < count; i++) {
      const e = next().map(num);
      if (e.length !== nv + 1) fail(`element of type ${type} needs ${nv} nodes`);
      if (into) for (let k = 1; k <= nv; k++) into.push(e[k]);
    }
  }
  const dim: 1 | 2 = tris.length > 0 ? 2 : 1;
  const conn = dim === 2 ? tris : segs;
  if (conn.length === 0) fail('the mesh has no line or triangle elements');

  const index = new Map<number, number>();
  tags.forEach((t, i) => {
    index.set(t, i);
  });
  const remap = new Map<number, number>();
  const cells = new Int32Array(conn.length);
  const coords: number[] = [];
  conn.forEach((tag, k) => {
    const i = index.get(tag);
    if (i === undefined) throw new Error(`readGmsh: element refers to unknown node tag ${tag}`);
    let j = remap.get(i);
    if (j === undefined) {
      j = remap.size;
      remap.set(i, j);
      coords.push(xyz[3 * i]);
      if (dim === 2) coords.push(xyz[3 * i + 1]);
    }
    cells[k] = j;
  });
  const points = new Float64Array(coords);
  const nv = dim + 1;
  for (let c = 0; c < cells.length / nv; c++) {
    if (signedMeasure(points, cells, dim, c) < 0) {
      const t = cells[nv * c];
      cells[nv * c] = cells[nv * c + 1];
      cells[nv * c + 1] = t;
    }
  }
  return validateMesh({ dim, points, cells }, 'readGmsh');
}
