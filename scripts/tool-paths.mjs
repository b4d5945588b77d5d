// Where provisioned tools live and which versions are pinned. Shared by the
// provisioning script (plain Node) and the TypeScript stack launcher.
import { join } from 'node:path';

export const TOOL_VERSIONS = Object.freeze({
  testServer: '1.40.0',
  testServerMaven: '1.31.0',
  temporalCli: 'v1.5.1',
  ferretdb: 'v1.24.2',
});

export function toolPaths(root) {
  const tools = join(root, '.tools');
  const bin = join(tools, 'bin');
  const pipTarget = join(tools, 'pip');
  const mavenTestServerDir = join(tools, 'maven-test-server');
  return {
    root,
    tools,
    bin,
    pipTarget,
    testServer: join(pipTarget, 'bin', 'temporal-test-server'),
    mavenTestServerDir,
    mavenTestServerWrapper: join(mavenTestServerDir, 'temporal-test-server'),
    temporalCli: join(bin, 'temporal'),
    ferret: join(bin, 'switchyard-ferretdb'),
    ferretSource: join(root, 'scripts', 'ferretdb'),
    data: join(root, '.data'),
  };
}
