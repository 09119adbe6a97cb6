import type { ReactionDiffusionSolution } from '../post/solution.js';

/**
 * A ParaView `.vtu` (VTK XML unstructured grid, ASCII) of output `k`: every dof is a point,
 * cells are VTK lines/triangles (P1) or quadratic edges/triangles (P2); point data `re`, `im`
 * and `abs`. Returns the file contents; write it with `fs.writeFileSync`.
 *
 * @example
 * writeFileSync('u-1.vtu', toVtu(sol, 1));
 */
export function toVtu(sol: ReactionDiffusionSolution, k: number): string {
  try {
    return vtu(sol, k);
  } catch (e) {
    // V8 strings hold at most 2^29 − 24 characters: a large mesh does not fit in one file string.
    if (e instanceof RangeError)
      throw new Error(
        `toVtu: the file for ${sol.size} dofs is longer than the largest JavaScript string (${e.message}); export a coarser mesh`,
      );
    throw e;
  }
}

function vtu(sol: ReactionDiffusionSolution, k: number): string {
  const { space } = sol;
  const dim = space.mesh.dim;
  const n = space.size;
  const ns = space.element.size;
  const nc = space.cellDofs.length / ns;
  const { re, im } = sol.values(k);
  const type = dim === 1 ? (ns === 2 ? 3 : 21) : ns === 3 ? 5 : 22;
  const pts: string[] = [];
  for (let i = 0; i < n; i++)
    pts.push(`${space.points[i * dim]} ${dim === 2 ? space.points[i * dim + 1] : 0} 0`);
  const conn: string[] = [];
  for (let c = 0; c < nc; c++) conn.push(Array.from(space.cellDofs.subarray(c * ns, c * ns + ns)).join(' '));
  const offsets = Array.from({ length: nc }, (_, c) => (c + 1) * ns).join(' ');
  const abs = Array.from(re, (r, i) => Math.hypot(r, im[i]));
  return `<?xml version="1.0"?>
<VTKFile type="UnstructuredGrid" version="0.1" byte_order="LittleEndian">
<UnstructuredGrid>
<FieldData><DataArray type="Float64" Name="TimeValue" NumberOfTuples="1" format="ascii">${sol.times[k]}</DataArray></FieldData>
<Piece NumberOfPoints="${n}" NumberOfCells="${nc}">
<PointData Scalars="re">
<DataArray type="Float64" Name="re" format="ascii">${Array.from(re).join(' ')}</DataArray>
<DataArray type="Float64" Name="im" format="ascii">${Array.from(im).join(' ')}</DataArray>
<DataArray type="Float64" Name="abs" format="ascii">${abs.join(' ')}</DataArray>
</PointData>
<Points><DataArray type="Float64" NumberOfComponents="3" format="ascii">${pts.join(' ')}</DataArray></Points>
<Cells>
<DataArray type="Int32" Name="connectivity" format="ascii">${conn.join(' ')}</DataArray>
<DataArray type="Int32" Name="offsets" format="ascii">${offsets}</DataArray>
<DataArray type="UInt8" Name="types" format="ascii">${new Array(nc).fill(type).join(' ')}</DataArray>
</Cells>
</Piece>
</UnstructuredGrid>
</VTKFile>
`;
}
