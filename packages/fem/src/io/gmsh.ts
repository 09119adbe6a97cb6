import { type Mesh, signedMeasure } from '../mesh/types.js';
import { validateMesh } from '../mesh/validate.js';

/** Gmsh element types by number, for messages; only 1, 2 and 15 are read. */
const ELEMENT_NAMES: Record<number, string> = {
  1: '2-node line',
  2: '3-node triangle',
  3: '4-node quadrangle',
  4: '4-node tetrahedron',
  5: '8-node hexahedron',
  6: '6-node prism',
  7: '5-node pyramid',
  8: '3-node second-order line',
  9: '6-node second-order triangle',
  10: '9-node second-order quadrangle',
  11: '10-node second-order tetrahedron',
  15: '1-node point',
  16: '8-node second-order quadrangle',
};

/**
 * Reads a Gmsh MSH 4.1 ASCII mesh. Triangles (element type 2) make a 2D mesh; without
 * triangles, lines (type 1) make a 1D mesh on the x axis. Lower-dimensional elements
 * (boundary lines, points) are ignored, nodes not used by a cell are dropped and cells are
 * reoriented counter-clockwise. Any malformed content throws a one-line error naming the
 * section and line: a missing section or end marker, a truncated file, counts that disagree
 * with the headers, another MSH version or a binary file, element types other than points,
 * lines and triangles, duplicate or unknown node tags, cells off the z = 0 plane (2D) or the
 * x axis (1D); the mesh is then checked by `validateMesh` (errors name the element tag).
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
  let section = '';
  const fail = (what: string, line = at): never => {
    throw new Error(`readGmsh: line ${line}${section ? ` (${section})` : ''}: ${what}`);
  };
  const next = (): string[] => {
    while (at < lines.length) {
      const l = lines[at++].trim();
      if (l !== '') return l.split(/\s+/);
    }
    return fail(`unexpected end of file: the file is truncated inside ${section || 'the header'}`);
  };
  const num = (s: string | undefined): number => {
    const v = Number(s);
    if (s === undefined || !Number.isFinite(v)) fail(`expected a number, got '${s ?? ''}'`);
    return v;
  };
  const count = (s: string | undefined, what: string): number => {
    const v = num(s);
    if (!Number.isInteger(v) || v < 0) fail(`${what}: expected a non-negative integer, got '${s}'`);
    return v;
  };
  const fields = (n: number, what: string): string[] => {
    const f = next();
    if (f.length < n) fail(`${what}: expected ${n} numbers, got ${f.length} ('${f.join(' ')}')`);
    return f;
  };
  const seek = (name: string): boolean => {
    at = 0;
    section = '';
    while (at < lines.length) {
      if (lines[at++].trim() === name) {
        section = name;
        return true;
      }
    }
    return false;
  };
  const end = (): void => {
    const marker = `$End${section.slice(1)}`;
    const f = next();
    if (f[0] !== marker)
      fail(`expected ${marker}, got '${f.join(' ')}': more entries than the section header declares`);
  };

  if (!seek('$MeshFormat')) fail('no $MeshFormat section: not a Gmsh mesh');
  const [version, fileType] = fields(3, 'format line (version, file type, data size)');
  if (version !== '4.1') fail(`MSH version ${version} is not supported (expected 4.1)`);
  if (fileType !== '0') fail('binary MSH files are not supported (expected ASCII)');
  end();

  if (!seek('$Nodes')) fail('no $Nodes section');
  const nh = fields(4, 'header (blocks, nodes, min tag, max tag)');
  const nBlocks = count(nh[0], 'number of node blocks');
  const nNodes = count(nh[1], 'number of nodes');
  const index = new Map<number, number>(); // node tag → position in xyz
  const nodeTags: number[] = [];
  const xyz: number[] = [];
  for (let b = 0; b < nBlocks; b++) {
    const header = fields(4, `node block ${b + 1} header (entity dim, entity tag, parametric, count)`);
    const parametric = count(header[2], 'parametric flag');
    const n = count(header[3], `node block ${b + 1} size`);
    const entityDim = count(header[0], 'entity dimension');
    const first = index.size;
    for (let i = 0; i < n; i++) {
      const f = next();
      const tag = count(f[0], 'node tag');
      if (f.length !== 1)
        fail(`expected one node tag, got '${f.join(' ')}': node block ${b + 1} is incomplete`);
      if (index.has(tag)) fail(`node tag ${tag} appears twice`);
      index.set(tag, first + i);
      nodeTags.push(tag);
    }
    for (let i = 0; i < n; i++) {
      const f = next();
      const want = 3 + (parametric ? entityDim : 0);
      if (f.length !== want)
        fail(`expected ${want} numbers (x y z${parametric ? ' and parameters' : ''}), got '${f.join(' ')}'`);
      xyz.push(num(f[0]), num(f[1]), num(f[2]));
    }
  }
  if (index.size !== nNodes) fail(`the header declares ${nNodes} nodes, the blocks hold ${index.size}`);
  end();

  if (!seek('$Elements')) fail('no $Elements section');
  const eh = fields(4, 'header (blocks, elements, min tag, max tag)');
  const eBlocks = count(eh[0], 'number of element blocks');
  const nElements = count(eh[1], 'number of elements');
  const tris: number[] = [];
  const segs: number[] = [];
  const triTags: number[] = [];
  const segTags: number[] = [];
  let read = 0;
  for (let b = 0; b < eBlocks; b++) {
    const header = fields(4, `element block ${b + 1} header (entity dim, entity tag, type, count)`);
    const type = count(header[2], 'element type');
    const n = count(header[3], `element block ${b + 1} size`);
    const nv = type === 1 ? 2 : type === 2 ? 3 : type === 15 ? 1 : -1;
    if (nv < 0)
      fail(
        `element type ${type}${ELEMENT_NAMES[type] ? ` (${ELEMENT_NAMES[type]})` : ''} is not supported (only points 15, lines 1, triangles 2)`,
      );
    const into = type === 2 ? tris : type === 1 ? segs : null;
    const tags = type === 2 ? triTags : segTags;
    for (let i = 0; i < n; i++) {
      const e = next();
      if (e.length !== nv + 1)
        fail(`an element of type ${type} needs a tag and ${nv} node tags, got '${e.join(' ')}'`);
      const tag = count(e[0], 'element tag');
      for (let k = 1; k <= nv; k++) {
        const node = count(e[k], 'node tag');
        const j = index.get(node);
        if (j === undefined) fail(`element ${tag} refers to node tag ${node}, which $Nodes does not define`);
        if (into) into.push(j as number);
      }
      if (into) tags.push(tag);
    }
    read += n;
  }
  if (read !== nElements) fail(`the header declares ${nElements} elements, the blocks hold ${read}`);
  end();

  const dim: 1 | 2 = tris.length > 0 ? 2 : 1;
  const conn = dim === 2 ? tris : segs;
  const cellTags = dim === 2 ? triTags : segTags;
  section = '';
  if (conn.length === 0) fail('the mesh has no line or triangle elements', lines.length);

  // Keep the used nodes, numbered in order of first use; they must lie in one plane z = const
  // (2D) or on one line parallel to the x axis (1D): the other coordinates are dropped.
  const remap = new Map<number, number>();
  const usedTags: number[] = [];
  const cells = new Int32Array(conn.length);
  const coords: number[] = [];
  const median = (k: number) => conn.map((i) => xyz[3 * i + k]).sort((a, b) => a - b)[conn.length >> 1];
  const [y0, z0] = [median(1), median(2)];
  const off = (u: number, u0: number, x: number, y: number) =>
    Math.abs(u - u0) > 1e-12 * (1 + Math.abs(x) + Math.abs(y) + Math.abs(u0));
  conn.forEach((i, k) => {
    let j = remap.get(i);
    if (j === undefined) {
      j = remap.size;
      remap.set(i, j);
      usedTags.push(nodeTags[i]);
      const [x, y, z] = [xyz[3 * i], xyz[3 * i + 1], xyz[3 * i + 2]];
      if (off(z, z0, x, y) || (dim === 1 && off(y, y0, x, z)))
        throw new Error(
          `readGmsh: element ${cellTags[Math.floor(k / (dim + 1))]} has a node at (${x}, ${y}, ${z}), off the ${dim === 2 ? `plane z = ${z0}` : `line y = ${y0}, z = ${z0}`} of most nodes: only ${dim === 2 ? 'planar' : 'straight'} meshes are read`,
        );
      coords.push(x);
      if (dim === 2) coords.push(y);
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
  try {
    return validateMesh({ dim, points, cells }, 'readGmsh');
  } catch (e) {
    // Cells and points are numbered by position here; the file knows them by element and node tags.
    const tagged = (e as Error).message
      .replace(/\bcells? (\d+)(?: and (\d+))?/g, (_, a, b) =>
        b === undefined ? `element ${cellTags[+a]}` : `elements ${cellTags[+a]} and ${cellTags[+b]}`,
      )
      .replace(
        /\bpoints (\d+), (\d+), (\d+)/g,
        (_, a, b, c) => `nodes ${[a, b, c].map((v) => usedTags[+v]).join(', ')}`,
      )
      .replace(/\bpoints? (\d+)(?: and (\d+))?/g, (_, a, b) =>
        b === undefined ? `node ${usedTags[+a]}` : `nodes ${usedTags[+a]} and ${usedTags[+b]}`,
      )
      .replace(/\b(\d+)→(\d+)/g, (_, a, b) => `${usedTags[+a]}→${usedTags[+b]}`);
    throw new Error(tagged);
  }
}
