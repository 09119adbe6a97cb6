export { checkDimension, type SpecDimension } from './dimension.js';
export * from './fields.js';
export { describeIssue, parseOrThrow, pathText, show } from './issues.js';
