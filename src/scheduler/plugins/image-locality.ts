import { MAX_NODE_SCORE, type Plugin } from '../framework';
import type { ImageState, NodeInfo } from '../node-info';
import { SKIP } from '../status';

export const IMAGE_LOCALITY = 'ImageLocality';

const MB = 1024 * 1024;
const MIN_THRESHOLD = 23 * MB;
const MAX_CONTAINER_THRESHOLD = 1000 * MB;

/** normalizedImageName: an image without a tag means :latest. */
export function normalizedImageName(name: string): string {
  return name.lastIndexOf(':') <= name.lastIndexOf('/') ? `${name}:latest` : name;
}

/** scaledImageScore: the image size, scaled down when few nodes have it (spread). */
function scaledImageScore(state: ImageState, totalNumNodes: number): number {
  return Math.trunc(state.size * (state.numNodes / totalNumNodes));
}

/** calculatePriority: sizes between 23MB and 1000MB per container map onto 0..100. */
export function imageLocalityScore(sumScores: number, numContainers: number): number {
  const maxThreshold = MAX_CONTAINER_THRESHOLD * numContainers;
  const clamped = sumScores < MIN_THRESHOLD ? MIN_THRESHOLD : sumScores > maxThreshold ? maxThreshold : sumScores;
  return Math.trunc((MAX_NODE_SCORE * (clamped - MIN_THRESHOLD)) / (maxThreshold - MIN_THRESHOLD));
}

/** ImageLocality: favours nodes that already have the pod's images (node.status.images). */
export const imageLocality: Plugin = {
  name: IMAGE_LOCALITY,
  preScore(pod, _feasible, snapshot) {
    // no node reports images: every node scores 0
    if (!snapshot.hasImages) return SKIP;
    const spec = pod.pod.spec ?? {};
    const images: string[] = [...(spec.initContainers ?? []), ...(spec.containers ?? [])].map((c: { image?: string }) =>
      normalizedImageName(String(c?.image ?? '')),
    );
    const total = snapshot.size;
    const score = (node: NodeInfo): number => {
      let sum = 0;
      if (node.imageStates)
        for (const image of images) {
          const state = node.imageStates.get(image);
          if (state) sum += scaledImageScore(state, total);
        }
      return imageLocalityScore(sum, images.length);
    };
    return {
      score,
      scoreAll(nodes, out) {
        for (let i = 0; i < nodes.length; i++) out[i] = score(nodes[i]);
      },
    };
  },
};
