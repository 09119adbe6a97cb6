/** A table for the report page. Numbers are shown to 4 significant digits; null as "—". */
export interface ReportTable {
  readonly title: string;
  readonly columns: readonly string[];
  readonly rows: readonly (readonly (string | number | null)[])[];
  readonly note?: string;
}

export interface ReportHtmlInput {
  readonly title: string;
  readonly description?: string;
  /** Images by relative file name (they sit next to report.html), with a caption. */
  readonly images: readonly { readonly file: string; readonly caption: string }[];
  readonly tables: readonly ReportTable[];
  /** The experiment config, shown as JSON. */
  readonly config: unknown;
  /** Other files of the folder to link (CSV, JSON). */
  readonly links?: readonly string[];
}

/** Escapes text for HTML content and attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function cellText(v: string | number | null): string {
  if (v === null) return '—';
  if (typeof v === 'number') return Number.isFinite(v) ? String(Number(v.toPrecision(4))) : String(v);
  return v;
}

const style = `
body { font-family: system-ui, -apple-system, "DejaVu Sans", sans-serif; margin: 2rem auto; max-width: 1200px;
  padding: 0 1rem; color: #222; line-height: 1.45; }
h1 { margin-bottom: 0.2rem; } .description { color: #555; margin-top: 0; }
figure { margin: 1.5rem 0; } figure img { max-width: 100%; height: auto; border: 1px solid #eee; }
figcaption { color: #555; font-size: 0.9rem; }
table { border-collapse: collapse; margin: 0.5rem 0 1.5rem; font-variant-numeric: tabular-nums; }
th, td { border-bottom: 1px solid #ddd; padding: 0.25rem 0.8rem; text-align: right; }
th:first-child, td:first-child { text-align: left; }
pre { background: #f6f6f6; padding: 1rem; overflow-x: auto; font-size: 0.85rem; }
.note { color: #666; font-size: 0.85rem; }`;

/**
 * A self-contained report page: no scripts, no network; images are relative links to files in the
 * same folder, so the page opens offline and survives moving the folder.
 *
 * @example
 * reportHtml({ title: 'gaussian-1d', images: [{ file: 'heatmap.png', caption: 'Error spectra' }],
 *   tables: [], config }); // "<!doctype html>…<img src="heatmap.png" …"
 */
export function reportHtml(input: ReportHtmlInput): string {
  const e = escapeHtml;
  const tables = input.tables
    .map(
      (t) => `<h2>${e(t.title)}</h2>
<table><thead><tr>${t.columns.map((c) => `<th>${e(c)}</th>`).join('')}</tr></thead>
<tbody>${t.rows.map((r) => `<tr>${r.map((v) => `<td>${e(cellText(v))}</td>`).join('')}</tr>`).join('\n')}</tbody></table>
${t.note ? `<p class="note">${e(t.note)}</p>` : ''}`,
    )
    .join('\n');
  const figures = input.images
    .map(
      (im) =>
        `<figure><img src="${e(encodeURI(im.file))}" alt="${e(im.caption)}"><figcaption>${e(im.caption)}</figcaption></figure>`,
    )
    .join('\n');
  const links = input.links?.length
    ? `<h2>Data</h2><ul>${input.links.map((l) => `<li><a href="${e(encodeURI(l))}">${e(l)}</a></li>`).join('')}</ul>`
    : '';
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${e(input.title)}</title><style>${style}</style></head>
<body>
<h1>${e(input.title)}</h1>
${input.description ? `<p class="description">${e(input.description)}</p>` : ''}
${tables}
${figures}
${links}
<h2>Config</h2>
<pre>${e(JSON.stringify(input.config, null, 2))}</pre>
</body></html>
`;
}
