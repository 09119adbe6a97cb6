export { type EsKernel, esFourier, esKernelFor, esValue } from './es-kernel.js';
export { gaussLegendre } from './gauss-legendre.js';
export { createNufftPlan, NufftPlan, type NufftPlanOptions, type NufftSign } from './plan.js';
