// Names for the generated OpenAPI shapes (openapi.generated.d.ts, from rest_v2_openapi.json by
// openapi-typescript). Only this folder sees them; everything outside speaks PodInfo / PodOffer.
import type { components, paths } from './openapi.generated';

export type RestPaths = paths;
export type RestPod = components['schemas']['Pod'];
export type RestCreatePodRequest = components['schemas']['CreatePodRequest'];
export type RestGpuType = components['schemas']['GpuType'];
export type RestProblem = components['schemas']['ErrorResponse'];
export type RestPodAction = components['schemas']['PodAction'];
export type RestPodBillingRecord = components['schemas']['PodBillingRecord'];
export type RestLogSource = components['schemas']['LogSource'];
