// Names of the containers made by global-fixtures.ts, visible to every test file of the run.
export const testContainerPrefix = 'lxcat-';

export interface TestContainers {
  /** privileged busybox container with user 1000 in its passwd */
  privileged: string;
  /** unprivileged container: id map, lxc.seccomp.profile, lxc.no_new_privs = 1, user 1000 */
  unprivileged: string;
}

export function containerNames(pid = process.pid): TestContainers {
  return {
    privileged: `${testContainerPrefix}${pid}-priv`,
    unprivileged: `${testContainerPrefix}${pid}-unpriv`,
  };
}
