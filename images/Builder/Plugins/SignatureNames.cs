using System;
using System.Collections.Immutable;
using System.Reflection.Metadata;

namespace XenLite.ImageBuilder.Plugins;

/// <summary>
/// Decodes signatures and attribute blobs into type names ("XenLite.Hv.Dispatch.HandlerRegistry",
/// "System.Byte*"), enough to compare a plugin's members with the contract without loading it.
/// </summary>
sealed class SignatureNames(MetadataReader md) : ISignatureTypeProvider<string, object>, ICustomAttributeTypeProvider<string>
{
    /// <summary>The one enum the contract's attribute takes, and its underlying type.</summary>
    public const string FeatureType = "XenLite.Hv.Dispatch.Feature";

    public string GetPrimitiveType(PrimitiveTypeCode typeCode) => typeCode switch
    {
        PrimitiveTypeCode.Void => "System.Void",
        PrimitiveTypeCode.Boolean => "System.Boolean",
        PrimitiveTypeCode.Byte => "System.Byte",
        PrimitiveTypeCode.UInt64 => "System.UInt64",
        PrimitiveTypeCode.String => "System.String",
        _ => "System." + typeCode,
    };

    public string GetTypeFromDefinition(MetadataReader reader, TypeDefinitionHandle handle, byte rawTypeKind) => FullName(reader, handle);
    public string GetTypeFromReference(MetadataReader reader, TypeReferenceHandle handle, byte rawTypeKind) => FullName(reader, handle);
    public string GetTypeFromSpecification(MetadataReader reader, object genericContext, TypeSpecificationHandle handle, byte rawTypeKind)
        => reader.GetTypeSpecification(handle).DecodeSignature(this, genericContext);
    public string GetSZArrayType(string elementType) => elementType + "[]";
    public string GetArrayType(string elementType, ArrayShape shape) => elementType + "[" + new string(',', shape.Rank - 1) + "]";
    public string GetByReferenceType(string elementType) => elementType + "&";
    public string GetPointerType(string elementType) => elementType + "*";
    public string GetPinnedType(string elementType) => elementType;
    public string GetGenericInstantiation(string genericType, ImmutableArray<string> typeArguments) => genericType + "<" + string.Join(",", typeArguments) + ">";
    public string GetGenericMethodParameter(object genericContext, int index) => "!!" + index;
    public string GetGenericTypeParameter(object genericContext, int index) => "!" + index;
    public string GetFunctionPointerType(MethodSignature<string> signature) => "delegate*";
    public string GetModifiedType(string modifier, string unmodifiedType, bool isRequired) => unmodifiedType;
    public string GetSystemType() => "System.Type";
    public bool IsSystemType(string type) => type == "System.Type";
    public string GetTypeFromSerializedName(string name) => name;

    public PrimitiveTypeCode GetUnderlyingEnumType(string type) =>
        type == FeatureType ? PrimitiveTypeCode.Byte : throw new BadImageFormatException($"attribute argument of enum type {type}, which the contract does not use");

    public static string FullName(MetadataReader md, TypeDefinitionHandle h)
    {
        TypeDefinition t = md.GetTypeDefinition(h);
        string name = md.GetString(t.Name);
        if (t.GetDeclaringType() is { IsNil: false } outer) return FullName(md, outer) + "+" + name;
        string ns = md.GetString(t.Namespace);
        return ns.Length == 0 ? name : ns + "." + name;
    }

    public static string FullName(MetadataReader md, TypeReferenceHandle h)
    {
        TypeReference t = md.GetTypeReference(h);
        string ns = md.GetString(t.Namespace);
        string name = md.GetString(t.Name);
        return ns.Length == 0 ? name : ns + "." + name;
    }

    public MetadataReader Reader => md;
}
