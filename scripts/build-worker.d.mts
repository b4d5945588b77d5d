export declare const workerBuildPath: string;
export declare function workerNodeFlags(heapMb?: number): string[];
export declare const workerEnv: { MALLOC_ARENA_MAX: string };
export declare function buildWorker(outFile?: string): string;
