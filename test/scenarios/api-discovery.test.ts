import { describe, expect, it } from 'vitest';
import { manualCluster } from '../support/cli';

describe('api-resources and api-versions', () => {
  it('api-resources filters by group, verbs, categories and scope, and -o wide shows verbs and categories', async () => {
    const c = await manualCluster();
    expect((await c.run('api-resources', '--api-group=apps', '--no-headers')).stdout).toBe(
      'controllerrevisions            apps/v1   true   ControllerRevision\n' +
        'daemonsets            ds       apps/v1   true   DaemonSet\n' +
        'deployments           deploy   apps/v1   true   Deployment\n' +
        'replicasets           rs       apps/v1   true   ReplicaSet\n' +
        'statefulsets          sts      apps/v1   true   StatefulSet\n',
    );
    expect((await c.run('api-resources', '--categories=all', '-o', 'name')).stdout).toBe(
      'pods\nreplicationcontrollers\nservices\ndaemonsets.apps\ndeployments.apps\nreplicasets.apps\nstatefulsets.apps\nhorizontalpodautoscalers.autoscaling\ncronjobs.batch\njobs.batch\n',
    );
    // namespaces are not deleted as a collection
    const names = (await c.run('api-resources', '--verbs=deletecollection', '--namespaced=false', '-o', 'name')).stdout;
    expect(names).not.toContain('namespaces\n');
    expect(names).toContain('nodes\n');
    expect((await c.run('api-resources', '--verbs=list,watch', '--verbs=create', '-o', 'name')).stdout).toContain('namespaces\n');
    // an empty --api-group is the core group
    expect((await c.run('api-resources', '--api-group=', '-o', 'name')).stdout).not.toContain('.');
    const wide = (await c.run('api-resources', '-o', 'wide', '--api-group=', '--sort-by=kind')).stdout.split('\n');
    expect(wide[0]).toMatch(/^NAME +SHORTNAMES +APIVERSION +NAMESPACED +KIND +VERBS +CATEGORIES$/);
    expect(wide.find((l) => l.startsWith('pods '))).toMatch(/ Pod +create,delete,deletecollection,get,list,patch,update,watch +all$/);
    expect(wide.find((l) => l.startsWith('namespaces '))).toMatch(/ Namespace +create,delete,get,list,patch,update,watch +$/);
    expect((await c.run('api-resources', '--cached', '-o', 'name')).stdout).toBe((await c.run('api-resources', '-o', 'name')).stdout);
  });

  it('api-resources and api-versions refuse what kubectl refuses', async () => {
    const c = await manualCluster();
    expect(await c.run('api-resources', '-o', 'json')).toEqual({ code: 1, stdout: '', stderr: 'error: --output json is not available\n' });
    expect(await c.run('api-resources', 'pods')).toEqual({
      code: 1,
      stdout: '',
      stderr: "error: unexpected arguments: [pods]\nSee 'kubesim api-resources -h' for help and examples\n",
    });
    expect((await c.run('api-versions', 'x')).stderr).toBe(
      "error: unexpected arguments: [x]\nSee 'kubesim api-versions -h' for help and examples\n",
    );
  });

  it('api-versions lists every served group/version, sorted', async () => {
    const c = await manualCluster();
    const versions = (await c.run('api-versions')).stdout.trimEnd().split('\n');
    expect(versions).toEqual([...versions].sort());
    expect(versions).toEqual(
      expect.arrayContaining(['apps/v1', 'autoscaling/v1', 'autoscaling/v2', 'batch/v1', 'rbac.authorization.k8s.io/v1', 'v1']),
    );
    expect(versions.at(-1)).toBe('v1');
    // the request-only review groups are served too; metrics.k8s.io only comes with metrics-server's APIService
    expect(versions).toEqual(expect.arrayContaining(['authentication.k8s.io/v1', 'authorization.k8s.io/v1']));
    expect(versions).not.toContain('metrics.k8s.io/v1beta1');
  });

  it('api-resources lists the review resources a v1.32 server serves, create only', async () => {
    const c = await manualCluster();
    expect((await c.run('api-resources', '--api-group=authorization.k8s.io', '-o', 'wide', '--no-headers')).stdout).toBe(
      'localsubjectaccessreviews         authorization.k8s.io/v1   true    LocalSubjectAccessReview   create   \n' +
        'selfsubjectaccessreviews          authorization.k8s.io/v1   false   SelfSubjectAccessReview    create   \n' +
        'selfsubjectrulesreviews           authorization.k8s.io/v1   false   SelfSubjectRulesReview     create   \n' +
        'subjectaccessreviews              authorization.k8s.io/v1   false   SubjectAccessReview        create   \n',
    );
    expect((await c.run('api-resources', '--verbs=list', '-o', 'name')).stdout).not.toContain('tokenreviews');
    expect((await c.run('api-resources', '-o', 'name')).stdout).toContain('tokenreviews.authentication.k8s.io\n');
  });
});
