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
  data: string;
}

export declare function toolPaths(root: string): ToolPaths;
