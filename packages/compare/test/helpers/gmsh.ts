/** A Gmsh MSH 4.1 ASCII file of the interval [a, b] with `cells` equal line elements (for pde.mesh tests). */
export function intervalMsh(a: number, b: number, cells: number): string {
  const n = cells + 1;
  const tags = Array.from({ length: n }, (_, i) => `${i + 1}`);
  const xs = Array.from({ length: n }, (_, i) => `${a + ((b - a) * i) / cells} 0 0`);
  const lines = Array.from({ length: cells }, (_, k) => `${k + 1} ${k + 1} ${k + 2}`);
  return [
    '$MeshFormat',
    '4.1 0 8',
    '$EndMeshFormat',
    '$Nodes',
    `1 ${n} 1 ${n}`,
    `1 1 0 ${n}`,
    ...tags,
    ...xs,
    '$EndNodes',
    '$Elements',
    `1 ${cells} 1 ${cells}`,
    `1 1 1 ${cells}`,
    ...lines,
    '$EndElements',
    '',
  ].join('\n');
}
