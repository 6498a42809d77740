/**
 * The cells' language service in its own worker, started by ./client.ts after a reader's
 * first edit: the TypeScript compiler (about 1 MB gzip) and the declarations never load
 * before that, and never on the page's main thread.
 */
import ts from 'typescript';
import files from 'virtual:cell-types';
import { createCellService, type CellSource } from './service.ts';

export type Request =
  | { id: number; type: 'completions'; earlier: CellSource[]; code: string; pos: number }
  | { id: number; type: 'detail'; earlier: CellSource[]; code: string; pos: number; name: string }
  | { id: number; type: 'quickInfo'; earlier: CellSource[]; code: string; pos: number }
  | { id: number; type: 'signatureHelp'; earlier: CellSource[]; code: string; pos: number }
  | { id: number; type: 'diagnostics'; earlier: CellSource[]; code: string };

const service = createCellService(ts, files);
const scope = self as unknown as {
  postMessage(message: unknown): void;
  addEventListener(type: 'message', listener: (event: MessageEvent<Request>) => void): void;
};

scope.addEventListener('message', ({ data: request }) => {
  let result: unknown = null;
  try {
    service.update(request.earlier, request.code);
    if (request.type === 'completions') result = service.completions(request.pos);
    else if (request.type === 'detail')
      result = service.completionDetail(request.pos, request.name);
    else if (request.type === 'quickInfo') result = service.quickInfo(request.pos);
    else if (request.type === 'signatureHelp') result = service.signatureHelp(request.pos);
    else if (request.type === 'diagnostics') result = service.diagnostics();
  } catch (error) {
    // a bug in the service must not break editing: answer "nothing"
    console.warn('cell types:', error);
  }
  scope.postMessage({ id: request.id, result });
});
scope.postMessage({ id: 0, result: 'ready' });
