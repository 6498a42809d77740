/**
 * `nn`: modules (layers with parameters, like `torch.nn`) and `nn.init`.
 */
export { Module, Sequential, type StateValue } from './module.ts';
export {
  parameter,
  Linear,
  Conv2d,
  MaxPool2d,
  AvgPool2d,
  Flatten,
  Identity,
  Dropout,
  BatchNorm1d,
  BatchNorm2d,
  ReLU,
  Tanh,
  Sigmoid,
  LeakyReLU,
  ELU,
  Softplus,
  GELU,
  Softmax,
  LogSoftmax,
  type LayerOptions,
  type PoolOptions,
  type BatchNormLayerOptions,
} from './layers.ts';
export { RNN, LSTM, GRU, RNNCell, LSTMCell, GRUCell, type RNNOptions } from './rnn.ts';
export * as init from './init.ts';
