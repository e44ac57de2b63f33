// Checks a CloudFormation template against the CloudFormation resource specification (the JSON that
// @aws-cdk/cfnspec ships, AWS's published spec): every resource type exists, every required property
// is given and no unknown one, property values have the spec's shape (list, map, nested type,
// primitive), and every Ref, Fn::GetAtt, ${...} in Fn::Sub and Condition names something the
// template or AWS defines (parameters, resources and their attributes, pseudo parameters).
// The specification is a published snapshot (its version is printed): a property AWS added after it
// is reported as unknown until the package is updated; cfn-lint, where installed, knows newer ones.
import { parseDocument, type Tags } from 'yaml'

export interface PropertySpec {
  Required?: boolean
  Type?: string
  ItemType?: string
  PrimitiveType?: string
  PrimitiveItemType?: string
}
export interface Spec {
  ResourceTypes: Record<
    string,
    { Properties?: Record<string, PropertySpec>; Attributes?: Record<string, unknown> }
  >
  PropertyTypes: Record<string, { Properties?: Record<string, PropertySpec> }>
}

type Json = null | boolean | number | string | Json[] | { [k: string]: Json }

// The short forms of the intrinsic functions (`!Sub`, `!GetAtt A.B`, ...) become their long forms.
const FUNCTIONS = [
  'Ref',
  'Condition',
  'Sub',
  'GetAtt',
  'If',
  'Equals',
  'Not',
  'And',
  'Or',
  'Join',
  'Select',
  'Split',
  'FindInMap',
  'GetAZs',
  'ImportValue',
  'Base64',
  'Cidr'
]
const cfnTags: Tags = FUNCTIONS.flatMap((name) => {
  const key = name === 'Ref' || name === 'Condition' ? name : `Fn::${name}`
  const wrap = (value: unknown) => ({
    [key]: name === 'GetAtt' && typeof value === 'string' ? value.split('.') : value
  })
  return (['scalar', 'seq', 'map'] as const).map((nodeClass) => ({
    tag: `!${name}`,
    collection: nodeClass === 'scalar' ? undefined : nodeClass,
    resolve: (v: unknown) => {
      const plain =
        v && typeof v === 'object' && 'toJSON' in v ? (v as { toJSON(): unknown }).toJSON() : v
      return wrap(plain)
    },
    identify: () => false
  }))
}) as unknown as Tags

/** Parses a YAML template, short-form intrinsic functions included. */
export function parseTemplate(text: string): Record<string, Json> {
  const doc = parseDocument(text, { customTags: cfnTags })
  if (doc.errors.length > 0) throw new Error(doc.errors.map((e) => e.message).join('; '))
  return doc.toJS() as Record<string, Json>
}

const PSEUDO = [
  'AWS::AccountId',
  'AWS::NotificationARNs',
  'AWS::NoValue',
  'AWS::Partition',
  'AWS::Region',
  'AWS::StackId',
  'AWS::StackName',
  'AWS::URLSuffix'
]
const isObject = (v: Json | undefined): v is { [k: string]: Json } =>
  typeof v === 'object' && v !== null && !Array.isArray(v)
const intrinsic = (v: Json): string | undefined => {
  if (!isObject(v)) return undefined
  const keys = Object.keys(v)
  return keys.length === 1 && (keys[0] === 'Ref' || keys[0].startsWith('Fn::'))
    ? keys[0]
    : undefined
}

/** The template's problems, one line each; empty when it is valid against the spec. */
export function templateProblems(template: Record<string, Json>, spec: Spec): string[] {
  const out: string[] = []
  if (template.AWSTemplateFormatVersion !== '2010-09-09')
    out.push('AWSTemplateFormatVersion must be "2010-09-09"')
  const params = isObject(template.Parameters) ? template.Parameters : {}
  const resources = isObject(template.Resources) ? template.Resources : {}
  const conditions = isObject(template.Conditions) ? template.Conditions : {}
  if (Object.keys(resources).length === 0) out.push('Resources: the template makes nothing')

  const typeOf = (logical: string) => {
    const r = resources[logical]
    return isObject(r) && typeof r.Type === 'string' ? r.Type : undefined
  }
  const checkRef = (where: string, name: string) => {
    if (!(name in params) && !(name in resources) && !PSEUDO.includes(name))
      out.push(`${where}: Ref ${name} names no parameter, resource or pseudo parameter`)
  }
  const checkAtt = (where: string, logical: string, attribute: string) => {
    const type = typeOf(logical)
    if (!type) return void out.push(`${where}: GetAtt ${logical}.${attribute}: no such resource`)
    const attributes = spec.ResourceTypes[type]?.Attributes ?? {}
    if (!(attribute in attributes))
      out.push(`${where}: GetAtt ${logical}.${attribute}: ${type} has no attribute ${attribute}`)
  }
  const checkCondition = (where: string, name: Json) => {
    if (typeof name !== 'string' || !(name in conditions))
      out.push(`${where}: condition ${String(name)} is not defined`)
  }

  // Every reference inside a value, wherever it sits.
  const walk = (where: string, v: Json) => {
    if (Array.isArray(v)) return v.forEach((x, i) => walk(`${where}[${i}]`, x))
    if (!isObject(v)) return
    const fn = intrinsic(v)
    if (fn === 'Ref' && typeof v.Ref === 'string') checkRef(where, v.Ref)
    if (fn === 'Fn::GetAtt' && Array.isArray(v[fn]) && v[fn].length === 2)
      checkAtt(where, String(v[fn][0]), String(v[fn][1]))
    if (fn === 'Fn::If' && Array.isArray(v[fn])) checkCondition(where, v[fn][0])
    if (fn === 'Condition') checkCondition(where, v.Condition)
    if (fn === 'Fn::Sub') {
      const [text, vars] = Array.isArray(v[fn]) ? v[fn] : [v[fn], {}]
      for (const [, name] of String(text).matchAll(/\$\{([^}!]+)\}/g)) {
        if (isObject(vars) && name in vars) continue
        const [logical, attribute] = name.split('.')
        if (attribute === undefined || PSEUDO.includes(name)) checkRef(where, name)
        else checkAtt(where, logical, attribute)
      }
    }
    for (const [k, x] of Object.entries(v)) walk(`${where}.${k}`, x)
  }

  const PRIMITIVE: Record<string, (v: Json) => boolean> = {
    String: (v) => typeof v === 'string' || typeof v === 'number',
    Integer: (v) => Number.isInteger(typeof v === 'string' ? Number(v) : v),
    Long: (v) => Number.isInteger(typeof v === 'string' ? Number(v) : v),
    Double: (v) => Number.isFinite(typeof v === 'string' ? Number(v) : v),
    Boolean: (v) => typeof v === 'boolean' || v === 'true' || v === 'false',
    Timestamp: (v) => typeof v === 'string',
    Json: (v) => isObject(v) || typeof v === 'string'
  }
  const checkPrimitive = (where: string, kind: string, v: Json) => {
    if (intrinsic(v)) return
    if (PRIMITIVE[kind] && !PRIMITIVE[kind](v)) out.push(`${where}: expected ${kind}`)
  }
  const checkProperties = (
    where: string,
    props: Json | undefined,
    specs: Record<string, PropertySpec>,
    resourceType: string
  ) => {
    if (props !== undefined && !isObject(props))
      return void (intrinsic(props ?? null) || out.push(`${where}: expected a map of properties`))
    const given = props ?? {}
    for (const [name, p] of Object.entries(specs))
      if (p.Required && !(name in given)) out.push(`${where}: required property ${name} is missing`)
    for (const [name, value] of Object.entries(given)) {
      const p = specs[name]
      if (!p) out.push(`${where}: ${name} is not a property of ${resourceType}`)
      else checkValue(`${where}.${name}`, p, value, resourceType)
    }
  }
  const checkNested = (where: string, typeName: string, v: Json, resourceType: string) => {
    if (intrinsic(v)) return
    const full = typeName === 'Tag' ? 'Tag' : `${resourceType}.${typeName}`
    const nested = spec.PropertyTypes[full]
    if (!nested) return void out.push(`${where}: the spec has no property type ${full}`)
    checkProperties(where, v, nested.Properties ?? {}, resourceType)
  }
  const checkValue = (where: string, p: PropertySpec, v: Json, resourceType: string) => {
    if (intrinsic(v)) return
    if (p.PrimitiveType) return checkPrimitive(where, p.PrimitiveType, v)
    if (p.Type === 'List' || p.Type === 'Map') {
      if (p.Type === 'List' && !Array.isArray(v)) return void out.push(`${where}: expected a list`)
      if (p.Type === 'Map' && !isObject(v)) return void out.push(`${where}: expected a map`)
      const entries = Array.isArray(v)
        ? v.map((x, i) => [String(i), x] as const)
        : Object.entries(isObject(v) ? v : {})
      for (const [k, x] of entries) {
        if (p.PrimitiveItemType) checkPrimitive(`${where}[${k}]`, p.PrimitiveItemType, x)
        else if (p.ItemType) checkNested(`${where}[${k}]`, p.ItemType, x, resourceType)
      }
      return
    }
    if (p.Type) checkNested(where, p.Type, v, resourceType)
  }

  for (const [name, c] of Object.entries(conditions)) walk(`Conditions.${name}`, c)
  for (const [logical, r] of Object.entries(resources)) {
    const where = `Resources.${logical}`
    if (!isObject(r) || typeof r.Type !== 'string') {
      out.push(`${where}: a resource needs a Type`)
      continue
    }
    const rs = spec.ResourceTypes[r.Type]
    if (!rs) {
      out.push(`${where}: ${r.Type} is not a CloudFormation resource type`)
      continue
    }
    if (r.Condition !== undefined) checkCondition(where, r.Condition)
    checkProperties(`${where}.Properties`, r.Properties, rs.Properties ?? {}, r.Type)
    walk(`${where}.Properties`, r.Properties ?? null)
  }
  if (isObject(template.Outputs))
    for (const [name, o] of Object.entries(template.Outputs)) {
      if (!isObject(o) || !('Value' in o)) out.push(`Outputs.${name}: an output needs a Value`)
      else walk(`Outputs.${name}`, o)
    }
  return out
}
