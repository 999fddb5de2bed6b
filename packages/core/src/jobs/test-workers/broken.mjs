// A worker module that cannot even load: every worker the pool starts dies at once.
throw new Error('cannot load this worker');
