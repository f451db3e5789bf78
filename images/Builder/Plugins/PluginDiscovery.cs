using System;
using System.Collections.Generic;
using System.IO;
using System.Reflection;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using XenLite.Hv.Dispatch;

namespace XenLite.ImageBuilder.Plugins;

/// <summary>
/// Reads a plugin assembly's metadata with System.Reflection.Metadata (the assembly is never
/// loaded, so a broken or foreign plugin cannot run code in the builder) and checks its entry
/// class against the contract in hv/Dispatch/HypervisorPluginAttribute.cs:
///   [HypervisorPlugin("name", Feature.X)] public static class P
///   { public static void Register(HandlerRegistry r);     // required
///     public static void Init(Hypervisor hv);             // optional
///     public static byte* BootPolicy; public static ulong BootPolicySize; } // optional, both or neither
/// </summary>
public static class PluginDiscovery
{
    public const string AttributeType = "XenLite.Hv.Dispatch.HypervisorPluginAttribute";
    const string RegistryType = "XenLite.Hv.Dispatch.HandlerRegistry";
    const string HypervisorType = "XenLite.Hv.Common.Hypervisor";

    public static PluginInfo Read(string assemblyPath, string sourceDirectory = null)
    {
        var info = new PluginInfo { AssemblyPath = assemblyPath, SourceDirectory = sourceDirectory };
        try
        {
            using var stream = File.OpenRead(assemblyPath);
            using var pe = new PEReader(stream);
            if (!pe.HasMetadata)
            {
                info.Problems.Add("not a .NET assembly (no metadata)");
                return info;
            }
            Inspect(pe.GetMetadataReader(), info);
        }
        catch (Exception e) when (e is BadImageFormatException or IOException or UnauthorizedAccessException or InvalidOperationException)
        {
            info.Problems.Add("unreadable assembly: " + e.Message);
        }
        return info;
    }

    static void Inspect(MetadataReader md, PluginInfo info)
    {
        var names = new SignatureNames(md);
        foreach (TypeDefinitionHandle th in md.TypeDefinitions)
        {
            TypeDefinition td = md.GetTypeDefinition(th);
            foreach (CustomAttributeHandle ch in td.GetCustomAttributes())
            {
                CustomAttribute ca = md.GetCustomAttribute(ch);
                if (AttributeTypeOf(md, ca.Constructor) != AttributeType) continue;
                string type = SignatureNames.FullName(md, th);
                if (info.EntryType != null)
                {
                    info.Problems.Add($"two entry classes are marked [HypervisorPlugin]: {info.EntryType} and {type}");
                    continue;
                }
                info.EntryType = type;
                ReadAttribute(ca, names, info);
                CheckType(md, td, names, info);
            }
        }
        if (info.EntryType == null) info.Problems.Add("no class is marked [HypervisorPlugin(name, Feature)]");
    }

    static void ReadAttribute(CustomAttribute ca, SignatureNames names, PluginInfo info)
    {
        CustomAttributeValue<string> value;
        try
        {
            value = ca.DecodeValue(names);
        }
        catch (BadImageFormatException e)
        {
            info.Problems.Add($"{info.EntryType}: [HypervisorPlugin] cannot be decoded: {e.Message}");
            return;
        }
        if (value.FixedArguments.Length != 2 || value.FixedArguments[0].Type != "System.String" || value.FixedArguments[1].Type != SignatureNames.FeatureType)
        {
            info.Problems.Add($"{info.EntryType}: [HypervisorPlugin] must be constructed with (string name, Feature rows)");
            return;
        }
        string name = value.FixedArguments[0].Value as string;
        if (string.IsNullOrEmpty(name) || !IsConfigName(name))
            info.Problems.Add($"{info.EntryType}: plugin name '{name}' must be lower-case letters, digits or '_' (it is a config key)");
        info.Name = name;
        byte rows = (byte)value.FixedArguments[1].Value;
        info.Rows = (Feature)rows;
        if (rows != 0 && (!Enum.IsDefined(info.Rows) || (rows & (rows - 1)) != 0))
            info.Problems.Add($"{info.EntryType}: Feature value {rows} is not one routing-table feature (known: {string.Join(", ", Enum.GetNames<Feature>())})");
    }

    static void CheckType(MetadataReader md, TypeDefinition td, SignatureNames names, PluginInfo info)
    {
        TypeAttributes visibility = td.Attributes & TypeAttributes.VisibilityMask;
        if (visibility != TypeAttributes.Public)
            info.Problems.Add($"{info.EntryType}: the entry class must be a public top-level class (generated code calls it)");
        if (td.GetGenericParameters().Count != 0)
            info.Problems.Add($"{info.EntryType}: the entry class must not be generic");

        bool register = false;
        foreach (MethodDefinitionHandle mh in td.GetMethods())
        {
            MethodDefinition m = md.GetMethodDefinition(mh);
            string name = md.GetString(m.Name);
            if (name != "Register" && name != "Init") continue;
            string expected = name == "Register" ? RegistryType : HypervisorType;
            MethodSignature<string> sig = m.DecodeSignature(names, null);
            bool ok = (m.Attributes & MethodAttributes.MemberAccessMask) == MethodAttributes.Public
                      && (m.Attributes & MethodAttributes.Static) != 0
                      && sig.GenericParameterCount == 0
                      && sig.ReturnType == "System.Void"
                      && sig.ParameterTypes.Length == 1 && sig.ParameterTypes[0] == expected;
            if (!ok)
            {
                string got = $"{Describe(m.Attributes)}{sig.ReturnType} {name}({string.Join(", ", sig.ParameterTypes)})";
                info.Problems.Add($"{info.EntryType}.{name} must be 'public static void {name}({expected})', found '{got}'");
                continue;
            }
            if (name == "Register") register = true;
            else info.HasInit = true;
        }
        if (!register) info.Problems.Add($"{info.EntryType} has no 'public static void Register({RegistryType})'");

        string policy = null, policySize = null;
        foreach (FieldDefinitionHandle fh in td.GetFields())
        {
            FieldDefinition f = md.GetFieldDefinition(fh);
            string name = md.GetString(f.Name);
            if (name != "BootPolicy" && name != "BootPolicySize") continue;
            bool publicStatic = (f.Attributes & FieldAttributes.FieldAccessMask) == FieldAttributes.Public && (f.Attributes & FieldAttributes.Static) != 0;
            string type = f.DecodeSignature(names, null);
            if (name == "BootPolicy") policy = publicStatic ? type : "non-public-static";
            else policySize = publicStatic ? type : "non-public-static";
        }
        if (policy != null || policySize != null)
        {
            if (policy == "System.Byte*" && policySize == "System.UInt64") info.TakesBootPolicy = true;
            else info.Problems.Add($"{info.EntryType}: a plugin that takes the boot policy declares both 'public static byte* BootPolicy' and 'public static ulong BootPolicySize'");
        }
    }

    static string Describe(MethodAttributes a)
    {
        string access = (a & MethodAttributes.MemberAccessMask) switch
        {
            MethodAttributes.Public => "public ",
            MethodAttributes.Private => "private ",
            MethodAttributes.Assembly => "internal ",
            MethodAttributes.Family => "protected ",
            _ => "",
        };
        return access + ((a & MethodAttributes.Static) != 0 ? "static " : "");
    }

    static bool IsConfigName(string name)
    {
        foreach (char c in name)
            if (!(c is >= 'a' and <= 'z' or >= '0' and <= '9' or '_')) return false;
        return true;
    }

    /// <summary>The full name of the type declaring an attribute's constructor.</summary>
    static string AttributeTypeOf(MetadataReader md, EntityHandle ctor)
    {
        switch (ctor.Kind)
        {
            case HandleKind.MemberReference:
                MemberReference mr = md.GetMemberReference((MemberReferenceHandle)ctor);
                return mr.Parent.Kind == HandleKind.TypeReference ? SignatureNames.FullName(md, (TypeReferenceHandle)mr.Parent) : null;
            case HandleKind.MethodDefinition:
                return SignatureNames.FullName(md, md.GetMethodDefinition((MethodDefinitionHandle)ctor).GetDeclaringType());
            default:
                return null;
        }
    }
}
