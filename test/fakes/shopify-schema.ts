import {
  buildSchema,
  type DocumentNode,
  type FieldNode,
  type GraphQLField,
  type GraphQLNamedType,
  type GraphQLSchema,
  getNamedType,
  isCompositeType,
  isObjectType,
  Kind,
  type OperationDefinitionNode,
  type SelectionSetNode,
  valueFromASTUntyped,
} from 'graphql';

/**
 * The subset of Shopify's Admin GraphQL schema (version 2025-10) that Vitrine uses, with the real
 * names, argument shapes and nullability from the reference: staged uploads, `productUpdate` with
 * `media`, `fileCreate`/`fileUpdate`, media status, the products listing and the shop. The fake
 * validates every request against it, so a misspelt field or a wrong argument fails as it would
 * on Shopify ("Field 'x' doesn't exist on type 'y'").
 */
export const SHOPIFY_SDL = /* GraphQL */ `
scalar URL
scalar DateTime
scalar Money
scalar UnsignedInt64

enum StagedUploadTargetGenerateUploadResource { IMAGE FILE VIDEO MODEL_3D COLLECTION_IMAGE SHOP_IMAGE PRODUCT_IMAGE BULK_MUTATION_VARIABLES URL_REDIRECT_IMPORT RETURN_LABEL DISPUTE_FILE_UPLOAD }
enum StagedUploadHttpMethodType { POST PUT }
enum MediaContentType { IMAGE VIDEO EXTERNAL_VIDEO MODEL_3D }
enum MediaStatus { UPLOADED PROCESSING READY FAILED }
enum MediaPreviewImageStatus { UPLOADED PROCESSING READY FAILED }
enum MediaErrorCode { UNKNOWN INVALID_SIGNED_URL IMAGE_DOWNLOAD_FAILURE IMAGE_PROCESSING_FAILURE MEDIA_TIMEOUT_ERROR UNSUPPORTED_IMAGE_FILE_TYPE }
enum FileStatus { UPLOADED PROCESSING READY FAILED }
enum FileContentType { IMAGE FILE VIDEO MODEL_3D EXTERNAL_VIDEO }
enum ProductStatus { ACTIVE ARCHIVED DRAFT }
enum CurrencyCode { USD EUR GBP CNY JPY CAD AUD HKD SGD }

interface Node { id: ID! }

type UserError { field: [String!] message: String! }
type FilesUserError { field: [String!] message: String! code: String }
type MediaError { code: MediaErrorCode! details: String message: String! }
type FileError { code: String! details: String message: String! }

type Image { id: ID url: URL! altText: String width: Int height: Int }
type MediaPreviewImage { image: Image status: MediaPreviewImageStatus! }

interface Media { id: ID! alt: String mediaContentType: MediaContentType! status: MediaStatus! mediaErrors: [MediaError!]! preview: MediaPreviewImage }
interface File { id: ID! alt: String fileStatus: FileStatus! fileErrors: [FileError!]! createdAt: DateTime! preview: MediaPreviewImage }

type MediaImage implements Node & Media & File {
  id: ID!
  alt: String
  mediaContentType: MediaContentType!
  status: MediaStatus!
  mediaErrors: [MediaError!]!
  preview: MediaPreviewImage
  image: Image
  mimeType: String
  fileStatus: FileStatus!
  fileErrors: [FileError!]!
  createdAt: DateTime!
}

type PageInfo { hasNextPage: Boolean! hasPreviousPage: Boolean! startCursor: String endCursor: String }
type MediaEdge { cursor: String! node: Media! }
type MediaConnection { edges: [MediaEdge!]! nodes: [Media!]! pageInfo: PageInfo! }
type ProductVariant implements Node { id: ID! title: String! sku: String price: Money! }
type ProductVariantEdge { cursor: String! node: ProductVariant! }
type ProductVariantConnection { edges: [ProductVariantEdge!]! nodes: [ProductVariant!]! pageInfo: PageInfo! }
type Product implements Node {
  id: ID!
  legacyResourceId: UnsignedInt64!
  title: String!
  handle: String!
  productType: String!
  vendor: String!
  status: ProductStatus!
  updatedAt: DateTime!
  featuredMedia: Media
  media(first: Int, after: String, last: Int, before: String, reverse: Boolean = false, query: String): MediaConnection!
  variants(first: Int, after: String, last: Int, before: String, reverse: Boolean = false): ProductVariantConnection!
}
type ProductEdge { cursor: String! node: Product! }
type ProductConnection { edges: [ProductEdge!]! nodes: [Product!]! pageInfo: PageInfo! }
type Shop { name: String! myshopifyDomain: String! currencyCode: CurrencyCode! }

type StagedUploadParameter { name: String! value: String! }
type StagedMediaUploadTarget { url: URL resourceUrl: URL parameters: [StagedUploadParameter!]! }
type StagedUploadsCreatePayload { stagedTargets: [StagedMediaUploadTarget!] userErrors: [UserError!]! }
type ProductUpdatePayload { product: Product userErrors: [UserError!]! }
type FileCreatePayload { files: [File!] userErrors: [FilesUserError!]! }
type FileUpdatePayload { files: [File!] userErrors: [FilesUserError!]! }

input StagedUploadInput {
  resource: StagedUploadTargetGenerateUploadResource!
  filename: String!
  mimeType: String!
  httpMethod: StagedUploadHttpMethodType = PUT
  fileSize: UnsignedInt64
}
input ProductUpdateInput { id: ID title: String productType: String vendor: String status: ProductStatus handle: String descriptionHtml: String }
input CreateMediaInput { originalSource: String! mediaContentType: MediaContentType! alt: String }
input FileCreateInput { originalSource: String! contentType: FileContentType alt: String filename: String }
input FileUpdateInput { id: ID! alt: String referencesToAdd: [ID!] referencesToRemove: [ID!] filename: String }

type QueryRoot {
  shop: Shop!
  node(id: ID!): Node
  nodes(ids: [ID!]!): [Node]!
  product(id: ID!): Product
  products(first: Int, after: String, last: Int, before: String, reverse: Boolean = false, query: String): ProductConnection!
}
type Mutation {
  stagedUploadsCreate(input: [StagedUploadInput!]!): StagedUploadsCreatePayload
  productUpdate(product: ProductUpdateInput, media: [CreateMediaInput!]): ProductUpdatePayload
  fileCreate(files: [FileCreateInput!]!): FileCreatePayload
  fileUpdate(files: [FileUpdateInput!]!): FileUpdatePayload
}
schema { query: QueryRoot mutation: Mutation }
`;

export const shopifySchema: GraphQLSchema = buildSchema(SHOPIFY_SDL);

/** Shopify charges 10 points for a mutation field. */
const MUTATION_COST = 10;

/**
 * Shopify's published cost model (shopify.dev "API rate limits"): objects cost 1, scalars and enums
 * 0, a connection costs 2 plus its page size (`first`/`last`) times the cost of one node, and each
 * mutation costs 10. This is the requested cost; the fake charges it in full.
 */
export function requestedQueryCost(
  document: DocumentNode,
  operation: OperationDefinitionNode,
  variables: Record<string, unknown>,
): number {
  const fragments = new Map(
    document.definitions.flatMap((definition) =>
      definition.kind === Kind.FRAGMENT_DEFINITION ? [[definition.name.value, definition] as const] : [],
    ),
  );
  const root =
    operation.operation === 'mutation' ? shopifySchema.getMutationType()! : shopifySchema.getQueryType()!;
  const isMutation = operation.operation === 'mutation';

  const selectionCost = (selectionSet: SelectionSetNode | undefined, parent: GraphQLNamedType): number => {
    if (!selectionSet) return 0;
    let total = 0;
    for (const selection of selectionSet.selections) {
      if (selection.kind === Kind.FIELD) total += fieldCost(selection, parent);
      else if (selection.kind === Kind.INLINE_FRAGMENT) {
        const typed = selection.typeCondition
          ? shopifySchema.getType(selection.typeCondition.name.value)!
          : parent;
        total += selectionCost(selection.selectionSet, typed);
      } else {
        const fragment = fragments.get(selection.name.value);
        if (fragment)
          total += selectionCost(
            fragment.selectionSet,
            shopifySchema.getType(fragment.typeCondition.name.value)!,
          );
      }
    }
    return total;
  };

  const fieldCost = (node: FieldNode, parent: GraphQLNamedType): number => {
    if (node.name.value === '__typename' || !isCompositeType(parent)) return 0;
    const fields = 'getFields' in parent ? parent.getFields() : {};
    const field = (fields as Record<string, GraphQLField<unknown, unknown>>)[node.name.value];
    if (!field) return 0;
    const type = getNamedType(field.type);
    if (parent === root && isMutation) return MUTATION_COST;
    if (!isCompositeType(type)) return 0;
    const children = selectionCost(node.selectionSet, type);
    if (type.name.endsWith('Connection')) {
      const size = argumentValue(node, 'first', variables) ?? argumentValue(node, 'last', variables) ?? 0;
      const perNode = nodeCost(node, type);
      return 2 + Number(size) * perNode;
    }
    if (field.name === 'nodes' && isObjectType(parent) && parent === root) {
      const ids = argumentValue(node, 'ids', variables);
      return (Array.isArray(ids) ? ids.length : 1) * Math.max(1, children);
    }
    return 1 + children;
  };

  /** One node of a connection: what `nodes { … }` or `edges { node { … } }` selects. */
  const nodeCost = (connection: FieldNode, type: GraphQLNamedType): number => {
    let cost = 1;
    for (const selection of connection.selectionSet?.selections ?? []) {
      if (selection.kind !== Kind.FIELD) continue;
      const nodeType = getNamedType(
        (isObjectType(type) ? type.getFields()[selection.name.value]?.type : undefined) ?? type,
      );
      if (selection.name.value === 'nodes')
        cost = Math.max(cost, 1 + selectionCost(selection.selectionSet, nodeType));
      if (selection.name.value === 'edges') {
        const node = selection.selectionSet?.selections.find(
          (inner): inner is FieldNode => inner.kind === Kind.FIELD && inner.name.value === 'node',
        );
        const edgeType = isObjectType(nodeType) ? getNamedType(nodeType.getFields().node!.type) : nodeType;
        if (node) cost = Math.max(cost, 1 + selectionCost(node.selectionSet, edgeType));
      }
    }
    return cost;
  };

  return selectionCost(operation.selectionSet, root);
}

function argumentValue(node: FieldNode, name: string, variables: Record<string, unknown>): unknown {
  const argument = node.arguments?.find((candidate) => candidate.name.value === name);
  return argument ? valueFromASTUntyped(argument.value, variables) : undefined;
}
