// What a CustomResourceDefinition needs beyond the spec schema: printer columns, the status
// schema and subresource, and the status-only kinds lbctl writes itself (ServiceL2Status,
// ServiceBGPStatus, ConfigurationState), which have no spec schema in schemas/. Pure data,
// following MetalLB's own CRDs so `kubectl get` looks the same.
import type { JsonSchema } from './openapi.js';

/** PrinterColumn is one additionalPrinterColumns entry. */
export interface PrinterColumn {
  name: string;
  type: 'string' | 'integer' | 'boolean' | 'date' | 'number';
  jsonPath: string;
  priority?: number;
}

/** KindPresentation is the per-kind part of a CRD that schemas/ does not hold. */
export interface KindPresentation {
  columns: PrinterColumn[];
  /** status is a JSON Schema for `.status`; present means a status subresource. */
  status?: JsonSchema;
  /** specRequired: the object must have a spec (false for status-only kinds). */
  specRequired: boolean;
}

const age: PrinterColumn = { name: 'Age', type: 'date', jsonPath: '.metadata.creationTimestamp' };
const int64 = { type: 'integer', format: 'int64' };
const str = { type: 'string' };
const recordStatus = (extra: Record<string, JsonSchema>): JsonSchema => ({
  type: 'object',
  properties: { node: str, serviceName: str, serviceNamespace: str, ...extra },
});
const recordColumns = (nodeTitle: string): PrinterColumn[] => [
  { name: nodeTitle, type: 'string', jsonPath: '.status.node' },
  { name: 'Service Name', type: 'string', jsonPath: '.status.serviceName' },
  { name: 'Service Namespace', type: 'string', jsonPath: '.status.serviceNamespace' },
  age,
];

/** PRESENTATION maps each kind to its columns and status. */
export const PRESENTATION: Readonly<Record<string, KindPresentation>> = {
  IPAddressPool: {
    specRequired: true,
    columns: [
      { name: 'Auto Assign', type: 'boolean', jsonPath: '.spec.autoAssign' },
      { name: 'Avoid Buggy IPs', type: 'boolean', jsonPath: '.spec.avoidBuggyIPs' },
      { name: 'Addresses', type: 'string', jsonPath: '.spec.addresses' },
      age,
    ],
    status: { type: 'object', properties: { assignedIPv4: int64, assignedIPv6: int64, availableIPv4: int64, availableIPv6: int64 } },
  },
  L2Advertisement: {
    specRequired: false,
    columns: [
      { name: 'IPAddressPools', type: 'string', jsonPath: '.spec.ipAddressPools' },
      { name: 'IPAddressPool Selectors', type: 'string', jsonPath: '.spec.ipAddressPoolSelectors' },
      { name: 'Interfaces', type: 'string', jsonPath: '.spec.interfaces' },
      { name: 'Node Selectors', type: 'string', jsonPath: '.spec.nodeSelectors', priority: 10 },
      age,
    ],
  },
  BGPAdvertisement: {
    specRequired: false,
    columns: [
      { name: 'IPAddressPools', type: 'string', jsonPath: '.spec.ipAddressPools' },
      { name: 'IPAddressPool Selectors', type: 'string', jsonPath: '.spec.ipAddressPoolSelectors' },
      { name: 'Peers', type: 'string', jsonPath: '.spec.peers' },
      { name: 'Node Selectors', type: 'string', jsonPath: '.spec.nodeSelectors', priority: 10 },
      age,
    ],
  },
  BGPPeer: {
    specRequired: true,
    columns: [
      { name: 'Address', type: 'string', jsonPath: '.spec.peerAddress' },
      { name: 'ASN', type: 'integer', jsonPath: '.spec.peerASN' },
      { name: 'BFD Profile', type: 'string', jsonPath: '.spec.bfdProfile' },
      { name: 'Multi Hops', type: 'boolean', jsonPath: '.spec.ebgpMultiHop' },
      age,
    ],
  },
  BFDProfile: {
    specRequired: false,
    columns: [
      { name: 'Passive Mode', type: 'boolean', jsonPath: '.spec.passiveMode' },
      { name: 'Transmit Interval', type: 'integer', jsonPath: '.spec.transmitInterval' },
      { name: 'Receive Interval', type: 'integer', jsonPath: '.spec.receiveInterval' },
      { name: 'Multiplier', type: 'integer', jsonPath: '.spec.detectMultiplier' },
      age,
    ],
  },
  Community: { specRequired: false, columns: [age] },
  AddressPool: {
    specRequired: true,
    columns: [
      { name: 'Protocol', type: 'string', jsonPath: '.spec.protocol' },
      { name: 'Auto Assign', type: 'boolean', jsonPath: '.spec.autoAssign' },
      { name: 'Addresses', type: 'string', jsonPath: '.spec.addresses' },
      age,
    ],
  },
  ServiceL2Status: {
    specRequired: false,
    columns: recordColumns('Allocated Node'),
    status: recordStatus({ interfaces: { type: 'array', items: { type: 'object', properties: { name: str } } } }),
  },
  ServiceBGPStatus: {
    specRequired: false,
    columns: recordColumns('Node'),
    status: recordStatus({ peers: { type: 'array', items: str } }),
  },
  ConfigurationState: {
    specRequired: false,
    columns: [
      { name: 'Result', type: 'string', jsonPath: '.status.result' },
      { name: 'Last Error', type: 'string', jsonPath: '.status.errorSummary', priority: 10 },
      age,
    ],
    status: {
      type: 'object',
      properties: {
        result: { type: 'string', enum: ['Valid', 'Invalid', 'Unknown'] },
        errorSummary: str,
        stale: { type: 'boolean', description: 'lbctl: the last good configuration is still in use.' },
        conditions: {
          type: 'array',
          items: {
            type: 'object',
            required: ['type', 'status'],
            properties: {
              type: str, status: str, reason: str, message: str,
              lastTransitionTime: { type: 'string', format: 'date-time' },
              observedGeneration: int64,
            },
          },
        },
      },
    },
  },
};

/** STATUS_ONLY_KINDS are the kinds with no spec schema in schemas/ (lbctl writes them). */
export const STATUS_ONLY_KINDS = [
  { kind: 'ServiceL2Status', plural: 'servicel2statuses', singular: 'servicel2status' },
  { kind: 'ServiceBGPStatus', plural: 'servicebgpstatuses', singular: 'servicebgpstatus' },
  { kind: 'ConfigurationState', plural: 'configurationstates', singular: 'configurationstate' },
] as const;
