// The validation the API server itself runs on metallb.io objects, beyond what the JSON Schemas
// say: CEL rules (x-kubernetes-validations) for the cross-field rules MetalLB's parser enforces,
// so `kubectl apply` of a bad object fails with a clear message and no webhook is needed. Rules
// only refuse what lbctl's parser would refuse too (an object the API accepts may still be refused
// later for cross-object reasons, e.g. overlapping pools). Pure data.

/** CelRule is one x-kubernetes-validations entry, placed at `path` inside the object schema. */
export interface CelRule {
  /** path: `spec`, `spec.holdTime`, `spec.communities[].value`, `status.node` ... */
  path: string;
  rule: string;
  message: string;
  /** extra schema keywords the rule needs at that node (maxLength bounds CEL's cost estimate). */
  extra?: Record<string, unknown>;
}

// Go duration syntax (time.ParseDuration without sign), checked before duration() can fail.
const DURATION = "^(0|([0-9]+([.][0-9]*)?(ns|us|µs|ms|s|m|h))+)$";
const isDuration = (e: string) => `${e}.matches('${DURATION}')`;
const DUR_BOUND = { maxLength: 64 };

const ebgpMultiHop: CelRule = {
  path: 'spec',
  rule: '!(has(self.ebgpMultiHop) && self.ebgpMultiHop && has(self.peerASN) && self.peerASN == self.myASN)',
  message: 'ebgpMultiHop is only allowed for eBGP sessions (peerASN must differ from myASN)',
};

const timers: CelRule[] = [
  {
    path: 'spec.holdTime', extra: DUR_BOUND,
    rule: `${isDuration('self')} && (duration(self) < duration('1s') || duration(self) >= duration('3s'))`,
    message: 'holdTime must be a duration (e.g. 90s) of 0 or at least 3s',
  },
  { path: 'spec.keepaliveTime', extra: DUR_BOUND, rule: isDuration('self'), message: 'keepaliveTime must be a duration such as 30s' },
  {
    path: 'spec',
    rule: `!has(self.holdTime) || !has(self.keepaliveTime) || !${isDuration('self.holdTime')} || !${isDuration('self.keepaliveTime')} || duration(self.keepaliveTime) <= duration(self.holdTime)`,
    message: 'keepaliveTime must not be longer than holdTime',
  },
];

const myASN: CelRule = { path: 'spec', rule: 'self.myASN != 0', message: 'myASN must not be 0' };

const immutableStatus = (field: string): CelRule => ({ path: `status.${field}`, rule: 'self == oldSelf', message: `${field} is immutable` });

/** SchemaBound adds size limits at a path: CEL's cost estimate needs bounded lists and strings. */
export interface SchemaBound {
  path: string;
  extra: Record<string, unknown>;
}

/** SCHEMA_BOUNDS lists the bounds per `Kind/version` (generous: far above any real configuration). */
export const SCHEMA_BOUNDS: Readonly<Record<string, readonly SchemaBound[]>> = {
  'Community/v1beta1': [{ path: 'spec.communities', extra: { maxItems: 1024 } }],
};

/** CEL_RULES lists the rules per `Kind/version`. */
export const CEL_RULES: Readonly<Record<string, readonly CelRule[]>> = {
  'BGPPeer/v1beta2': [
    myASN,
    {
      path: 'spec',
      rule: '!(has(self.peerASN) && self.peerASN != 0 && has(self.dynamicASN))',
      message: 'peerASN and dynamicASN are mutually exclusive',
    },
    {
      path: 'spec',
      rule: '(has(self.peerASN) && self.peerASN != 0) || has(self.dynamicASN)',
      message: 'one of peerASN or dynamicASN is required',
    },
    {
      path: 'spec',
      rule: "(has(self.peerAddress) && self.peerAddress != '') != (has(self.interface) && self.interface != '')",
      message: 'exactly one of peerAddress or interface is required',
    },
    {
      path: 'spec',
      rule: "!(has(self.password) && self.password != '' && has(self.passwordSecret))",
      message: 'password and passwordSecret are mutually exclusive',
    },
    ebgpMultiHop,
    ...timers,
    {
      path: 'spec.connectTime', extra: DUR_BOUND,
      rule: `${isDuration('self')} && duration(self) >= duration('1s') && duration(self) <= duration('65535s') && duration(self).getMilliseconds() % 1000 == 0`,
      message: 'connectTime must be whole seconds between 1s and 65535s',
    },
    { path: 'spec.enableGracefulRestart', rule: 'self == oldSelf', message: 'enableGracefulRestart cannot be changed after creation' },
  ],
  'BGPPeer/v1beta1': [
    myASN,
    { path: 'spec', rule: 'self.peerASN != 0', message: 'peerASN must not be 0' },
    ebgpMultiHop,
    ...timers,
  ],
  'BGPAdvertisement/v1beta1': [
    {
      path: 'spec',
      rule: '!has(self.serviceSelectors) || size(self.serviceSelectors) == 0 || ((!has(self.aggregationLength) || self.aggregationLength == 32) && (!has(self.aggregationLengthV6) || self.aggregationLengthV6 == 128))',
      message: 'serviceSelectors and aggregationLength are mutually exclusive',
    },
    { path: 'spec.aggregationLength', rule: 'self <= 32', message: 'aggregationLength must be at most 32' },
    { path: 'spec.aggregationLengthV6', rule: 'self <= 128', message: 'aggregationLengthV6 must be at most 128' },
  ],
  'Community/v1beta1': [
    {
      path: 'spec.communities[].value', extra: { maxLength: 128 },
      rule: "self.matches('^([0-9]+:[0-9]+|large:[0-9]+:[0-9]+:[0-9]+)$')",
      message: 'community value must be A:B or large:A:B:C',
    },
  ],
  'ServiceL2Status/v1beta1': ['node', 'serviceName', 'serviceNamespace'].map(immutableStatus),
  'ServiceBGPStatus/v1beta1': ['node', 'serviceName', 'serviceNamespace'].map(immutableStatus),
};
