/**
 * `optim`: optimizers that update parameters in place from their `.grad`, like `torch.optim`,
 * plus the book's extras (Newton with line search, exponentiated gradient, EG step-size
 * adaptation, hypergradient SGD) and PyTorch-style learning-rate schedulers.
 */
export {
  Optimizer,
  flattenParams,
  type ParamGroup,
  type ParamGroupInput,
  type ParamsInput,
  type RecordOptions,
  type Closure,
} from './optimizer.ts';
export {
  SGD,
  Adagrad,
  RMSprop,
  Adadelta,
  Adam,
  AdamW,
  type SGDOptions,
  type AdagradOptions,
  type RMSpropOptions,
  type AdadeltaOptions,
  type AdamOptions,
} from './first-order.ts';
export {
  ExponentiatedGradient,
  EGStepSize,
  HypergradientSGD,
  type ExponentiatedGradientOptions,
  type EGStepSizeOptions,
  type HypergradientSGDOptions,
} from './beyond.ts';
export {
  Newton,
  lineSearch,
  solve,
  type NewtonOptions,
  type BacktrackingOptions,
} from './newton.ts';
export * as lrScheduler from '../schedules/schedulers.ts';
