// Signals, queries and updates, defined once and shared by the workflows, the
// worker, the API and the tests. The lead workflow's handlers live here too.
export const TASK_QUEUE = 'switchyard';
