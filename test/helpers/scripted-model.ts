/** The scripted model lives with the evals (it scores their scorer); tests use the same one. */
export * from '../../evals/scripted-model.js';
