import { stableGuid } from '../../ids';
import type { BuildContext } from '../context';
import { childMap, newNode } from '../store';

/** Administrative templates: a small ADMX definition catalogue and configurations with definition and presentation values. */
interface GpDefinition {
  name: string;
  category: string;
  classType: 'machine' | 'user';
  presentations: Array<{ type: string; label: string; valueType: string; value: unknown }>;
}

const GP_DEFINITIONS: GpDefinition[] = [
  {
    name: 'Configure Automatic Updates',
    category: '\\Windows Components\\Windows Update',
    classType: 'machine',
    presentations: [
      {
        type: 'groupPolicyPresentationDropdownList',
        label: 'Configure automatic updating:',
        valueType: 'groupPolicyPresentationValueText',
        value: '4',
      },
    ],
  },
  {
    name: 'Turn off Microsoft consumer experiences',
    category: '\\Windows Components\\Cloud Content',
    classType: 'machine',
    presentations: [],
  },
  {
    name: 'Configure the home page URL',
    category: '\\Microsoft Edge\\Startup, home page and new tab page',
    classType: 'machine',
    presentations: [
      {
        type: 'groupPolicyPresentationTextBox',
        label: 'Home page URL',
        valueType: 'groupPolicyPresentationValueText',
        value: 'https://intranet.contoso.com',
      },
    ],
  },
  {
    name: 'Silently sign in users to the OneDrive sync app with their Windows credentials',
    category: '\\OneDrive',
    classType: 'machine',
    presentations: [],
  },
  {
    name: 'Prevent access to the command prompt',
    category: '\\System',
    classType: 'user',
    presentations: [
      {
        type: 'groupPolicyPresentationDropdownList',
        label: 'Disable the command prompt script processing also?',
        valueType: 'groupPolicyPresentationValueText',
        value: '1',
      },
    ],
  },
  {
    name: 'Turn on PowerShell Script Block Logging',
    category: '\\Windows Components\\Windows PowerShell',
    classType: 'machine',
    presentations: [
      {
        type: 'groupPolicyPresentationCheckBox',
        label: 'Log script block invocation start / stop events:',
        valueType: 'groupPolicyPresentationValueBoolean',
        value: true,
      },
    ],
  },
  {
    name: 'Specify intranet Microsoft update service location',
    category: '\\Windows Components\\Windows Update',
    classType: 'machine',
    presentations: [
      {
        type: 'groupPolicyPresentationTextBox',
        label: 'Set the intranet update service for detecting updates:',
        valueType: 'groupPolicyPresentationValueText',
        value: 'https://wsus.contoso.local:8531',
      },
    ],
  },
  {
    name: 'Set the default search provider',
    category: '\\Microsoft Edge\\Default search provider',
    classType: 'user',
    presentations: [
      {
        type: 'groupPolicyPresentationTextBox',
        label: 'Default search provider URL',
        valueType: 'groupPolicyPresentationValueText',
        value: 'https://www.bing.com/search?q={searchTerms}',
      },
    ],
  },
  {
    name: 'Maximum cache age (days)',
    category: '\\Windows Components\\Delivery Optimization',
    classType: 'machine',
    presentations: [
      {
        type: 'groupPolicyPresentationDecimalTextBox',
        label: 'Maximum cache age (in days)',
        valueType: 'groupPolicyPresentationValueDecimal',
        value: 7,
      },
    ],
  },
  {
    name: 'Do not display network selection UI',
    category: '\\System\\Logon',
    classType: 'machine',
    presentations: [],
  },
];

const GPD = '/deviceManagement/groupPolicyDefinitions';

/** The ADMX definitions catalogue (same ids in every tenant, as in Intune). */
export function buildGroupPolicyDefinitions(ctx: BuildContext): void {
  for (const def of GP_DEFINITIONS) {
    const id = stableGuid('group-policy-definition', def.name);
    if (ctx.store.get(GPD, id)) continue;
    const node = newNode(
      'groupPolicyDefinition',
      ctx.payload('groupPolicyDefinition', def.name, {
        id,
        classType: def.classType,
        displayName: def.name,
        explainText: `This policy setting controls: ${def.name}.`,
        categoryPath: def.category,
        supportedOn: 'At least Windows 10',
        policyType: 'admxBacked',
        hasRelatedDefinitions: false,
        groupPolicyCategoryId: stableGuid('group-policy-category', def.category),
        minDeviceCspVersion: '10.0.10240.0',
        minUserCspVersion: '10.0.10240.0',
        version: '1.0',
        lastModifiedDateTime: '2023-10-12T07:31:04.7043375Z',
      }),
    );
    def.presentations.forEach((p, i) => {
      const pres = newNode(
        p.type,
        ctx.payload(p.type, p.label, {
          id: stableGuid('group-policy-presentation', def.name, i),
          label: p.label,
          lastModifiedDateTime: '2023-10-12T07:31:04.7043375Z',
        }),
      );
      for (const k of Object.keys(pres.data)) if (pres.data[k] === 'Default Value') pres.data[k] = '';
      childMap(node, 'presentations').set(pres.id, pres);
    });
    ctx.store.add(GPD, node);
  }
}

export function buildGroupPolicyConfigurations(ctx: BuildContext, count: number): void {
  const names = [
    'ADMX - Windows Update',
    'ADMX - Edge Baseline',
    'ADMX - OneDrive Known Folder Move',
    'ADMX - PowerShell Logging',
    'ADMX - User Restrictions',
  ];
  for (let i = 0; i < count; i++) {
    const node = ctx.add(
      '/deviceManagement/groupPolicyConfigurations',
      'groupPolicyConfiguration',
      ctx.name(names[i % names.length]!),
      {
        policyConfigurationIngestionType: 'builtIn',
      },
    );
    for (const def of ctx.prng.sample(GP_DEFINITIONS, ctx.prng.range(2, 4))) {
      const defId = stableGuid('group-policy-definition', def.name);
      const value = ctx.child(node, 'definitionValues', 'groupPolicyDefinitionValue', {
        enabled: true,
        configurationType: 'policy',
        createdDateTime: ctx.timestamp(),
        lastModifiedDateTime: ctx.timestamp(),
      });
      delete value.data.displayName;
      value.refs.set('definition', { collection: GPD, path: [defId] });
      def.presentations.forEach((p, j) => {
        const pv = ctx.child(value, 'presentationValues', p.valueType, {
          value: p.value,
          createdDateTime: ctx.timestamp(),
          lastModifiedDateTime: ctx.timestamp(),
        });
        delete pv.data.displayName;
        pv.refs.set('presentation', {
          collection: GPD,
          path: [defId, 'presentations', stableGuid('group-policy-presentation', def.name, j)],
        });
      });
    }
    ctx.assign(node);
  }
}
