import type { Command } from 'commander';
import type { CommandEnv } from '../program';
import { register as view } from './config/view';
import { register as currentContext } from './config/current-context';
import { register as getContexts } from './config/get-contexts';
import { register as getClusters } from './config/get-clusters';
import { register as getUsers } from './config/get-users';
import { register as useContext } from './config/use-context';
import { register as setContext } from './config/set-context';
import { register as setCluster } from './config/set-cluster';
import { register as setCredentials } from './config/set-credentials';
import { register as set } from './config/set';
import { register as unset } from './config/unset';
import { register as renameContext } from './config/rename-context';
import { register as deleteContext } from './config/delete-context';
import { register as deleteCluster } from './config/delete-cluster';
import { register as deleteUser } from './config/delete-user';

/** `kubesim config …`: kubectl config's verbs over kubesim's kubeconfig (~/.kubesim/config, $KUBESIM_CONFIG or --kubeconfig). */
export function register(program: Command, env: CommandEnv): void {
  const config = program
    .command('config')
    .description('Modify kubeconfig files (a cluster names its state file; contexts, users and clusters as kubectl keeps them)')
    .addHelpText(
      'after',
      '\nExamples:\n  kubesim config get-contexts\n  kubesim config use-context prod-eu\n  kubesim config set-context --current --namespace=web',
    );
  for (const verb of [
    currentContext,
    deleteCluster,
    deleteContext,
    deleteUser,
    getClusters,
    getContexts,
    getUsers,
    renameContext,
    set,
    setCluster,
    setContext,
    setCredentials,
    unset,
    useContext,
    view,
  ])
    verb(config, env);
}
