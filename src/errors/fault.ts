/** Whose fault an error is: the person's (user), Honua's or a dependency's (system), or a model's (model). */
export type Fault = 'user' | 'system' | 'model';
