// CEL abstract syntax, with macros (has, all, exists, exists_one, map, filter) kept as their own
// node kind instead of cel-go's expanded comprehensions: checking and evaluation are the same.

export type Expr =
  | { k: 'lit'; pos: number; value: unknown; type: 'int' | 'uint' | 'double' | 'string' | 'bytes' | 'bool' | 'null' }
  | { k: 'ident'; pos: number; name: string }
  | { k: 'select'; pos: number; operand: Expr; field: string; test: boolean; optional: boolean }
  | { k: 'index'; pos: number; operand: Expr; index: Expr; optional: boolean }
  | { k: 'call'; pos: number; fn: string; target?: Expr; args: Expr[] }
  | { k: 'list'; pos: number; elems: Expr[] }
  | { k: 'map'; pos: number; entries: { key: Expr; value: Expr }[] }
  | { k: 'comp'; pos: number; macro: 'all' | 'exists' | 'exists_one' | 'map' | 'filter'; range: Expr; iterVar: string; filter?: Expr; body: Expr };
