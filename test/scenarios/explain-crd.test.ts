import { describe, expect, it } from 'vitest';
import { manualCluster } from '../support/cli';

// A CRD of our own with descriptions: v1 (preferred, storage) and v1beta1 served.
const GADGET_CRD = `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: gadgets.example.com
spec:
  group: example.com
  scope: Namespaced
  names: { plural: gadgets, singular: gadget, kind: Gadget, shortNames: [gd] }
  versions:
    - name: v1
      served: true
      storage: true
      schema:
        openAPIV3Schema:
          description: Gadget is a thing that does one job well.
          type: object
          properties:
            spec:
              description: GadgetSpec is what the gadget should be.
              type: object
              required: [mode]
              properties:
                mode:
                  description: How the gadget runs.
                  type: string
                  enum: [fast, slow]
                ports:
                  description: Where the gadget listens.
                  type: array
                  items: { type: integer }
                template:
                  description: The object the gadget makes.
                  type: object
                  x-kubernetes-embedded-resource: true
                  x-kubernetes-preserve-unknown-fields: true
    - name: v1beta1
      served: true
      storage: false
      schema:
        openAPIV3Schema:
          type: object
          properties:
            spec:
              type: object
              properties:
                legacy: { type: boolean }
`;

async function withGadgets(): Promise<Awaited<ReturnType<typeof manualCluster>>> {
  const c = await manualCluster();
  c.file('crd.yaml', GADGET_CRD);
  expect((await c.run('apply', '-f', 'crd.yaml')).code).toBe(0);
  return c;
}

describe('explain reads a custom resource schema as the API server publishes it', () => {
  it('the kind: its description, the CRD fields, and metadata/apiVersion/kind added as for every kind', async () => {
    const c = await withGadgets();
    const out = await c.run('explain', 'gadgets');
    expect(out).toMatchInlineSnapshot(`
      {
        "code": 0,
        "stderr": "",
        "stdout": "GROUP:      example.com
      KIND:       Gadget
      VERSION:    v1

      DESCRIPTION:
          Gadget is a thing that does one job well.
          
      FIELDS:
        apiVersion	<string>
          APIVersion defines the versioned schema of this representation of an object.
          Servers should convert recognized schemas to the latest internal value, and
          may reject unrecognized values. More info:
          https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#resources

        kind	<string>
          Kind is a string value representing the REST resource this object
          represents. Servers may infer this from the endpoint the client submits
          requests to. Cannot be updated. In CamelCase. More info:
          https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#types-kinds

        metadata	<ObjectMeta>
          Standard object's metadata. More info:
          https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata

        spec	<Object>
          GadgetSpec is what the gadget should be.


      ",
      }
    `);
  });

  it('a field path, a required field, an enum, and an embedded resource', async () => {
    const c = await withGadgets();
    expect(await c.run('explain', 'gd.spec')).toMatchInlineSnapshot(`
      {
        "code": 0,
        "stderr": "",
        "stdout": "GROUP:      example.com
      KIND:       Gadget
      VERSION:    v1

      FIELD: spec <Object>


      DESCRIPTION:
          GadgetSpec is what the gadget should be.
          
      FIELDS:
        mode	<string> -required-
        enum: fast, slow
          How the gadget runs.

        ports	<[]integer>
          Where the gadget listens.

        template	<Object>
          The object the gadget makes.


      ",
      }
    `);
    expect(await c.run('explain', 'gadgets.example.com.spec.mode')).toMatchInlineSnapshot(`
      {
        "code": 0,
        "stderr": "",
        "stdout": "GROUP:      example.com
      KIND:       Gadget
      VERSION:    v1

      FIELD: mode <string>
      ENUM:
          fast
          slow

      DESCRIPTION:
          How the gadget runs.
          

      ",
      }
    `);
    expect(await c.run('explain', 'gadget.spec.template', '--recursive')).toMatchInlineSnapshot(`
      {
        "code": 0,
        "stderr": "",
        "stdout": "GROUP:      example.com
      KIND:       Gadget
      VERSION:    v1

      FIELD: template <Object>


      DESCRIPTION:
          The object the gadget makes.
          
      FIELDS:
        apiVersion	<string> -required-
        kind	<string> -required-
        metadata	<ObjectMeta>
          annotations	<map[string]string>
          creationTimestamp	<string>
          deletionGracePeriodSeconds	<integer>
          deletionTimestamp	<string>
          finalizers	<[]string>
          generateName	<string>
          generation	<integer>
          labels	<map[string]string>
          managedFields	<[]ManagedFieldsEntry>
            apiVersion	<string>
            fieldsType	<string>
            fieldsV1	<Object>
            manager	<string>
            operation	<string>
            subresource	<string>
            time	<string>
          name	<string>
          namespace	<string>
          ownerReferences	<[]OwnerReference>
            apiVersion	<string> -required-
            blockOwnerDeletion	<boolean>
            controller	<boolean>
            kind	<string> -required-
            name	<string> -required-
            uid	<string> -required-
          resourceVersion	<string>
          selfLink	<string>
          uid	<string>

      ",
      }
    `);
  });

  it('--api-version picks another served version; unknown fields and versions are refused as for built-in kinds', async () => {
    const c = await withGadgets();
    expect((await c.run('explain', 'gadget.spec', '--api-version=example.com/v1beta1')).stdout).toContain('VERSION:    v1beta1\n');
    expect((await c.run('explain', 'gadget.spec', '--api-version=example.com/v1beta1')).stdout).toContain('  legacy\t<boolean>\n');
    expect(await c.run('explain', 'gadget.spec.nope')).toEqual({
      code: 1,
      stdout: 'GROUP:      example.com\nKIND:       Gadget\nVERSION:    v1\n\n',
      stderr: 'error: field "nope" does not exist\n',
    });
    expect(await c.run('explain', 'gadget', '--api-version=example.com/v2')).toEqual({
      code: 1,
      stdout: '',
      stderr: 'error: couldn\'t find resource for "example.com/v2, Resource=gadgets"\n',
    });
  });

  it('plaintext-openapiv2 renders the same schema; a deleted CRD leaves nothing to explain', async () => {
    const c = await withGadgets();
    expect(await c.run('explain', 'gadget.spec', '-o', 'plaintext-openapiv2')).toMatchInlineSnapshot(`
      {
        "code": 0,
        "stderr": "",
        "stdout": "KIND:     Gadget
      VERSION:  example.com/v1

      RESOURCE: spec <Object>

      DESCRIPTION:
           GadgetSpec is what the gadget should be.

      FIELDS:
         mode	<string> -required-
           How the gadget runs.

         ports	<[]integer>
           Where the gadget listens.

         template	<>
           The object the gadget makes.

      ",
      }
    `);
    expect((await c.run('delete', 'crd', 'gadgets.example.com')).code).toBe(0);
    expect(await c.run('explain', 'gadgets')).toEqual({
      code: 1,
      stdout: '',
      stderr: 'error: the server doesn\'t have a resource type "gadgets"\n',
    });
  });
});
