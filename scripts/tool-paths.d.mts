export declare const TOOL_VERSIONS: Readonly<{
  testServer: string;
  testServerMaven: string;
  temporalCli: string;
  ferretdb: string;
}>;

export interface ToolPaths {
  root: string;
  tools: string;
  bin: string;
  pipTarget: string;
  testServer: string;
  mavenTestServerDir: string;
  mavenTestServerWrapper: string;
  temporalCli: string;
  ferret: string;
  ferretSource: string;
  postgresBin: string;
  data: string;
}

export declare function postgresPackage(): string;
export declare function postgresBinDir(root: string): string;
export declare function postgresMissing(bin: string, exists: (path: string) => boolean): string | undefined;
export declare function dbBackend(): 'postgresql' | 'sqlite';
export declare function toolPaths(root: string): ToolPaths;
