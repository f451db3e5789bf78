using System;
using System.IO;
using System.Reflection;
using System.Reflection.Emit;
using XenLite.Hv.Common;
using XenLite.Hv.Dispatch;

namespace XenLite.Builder.Tests;

/// <summary>
/// Emits small plugin assemblies to disk with PersistedAssemblyBuilder, right or wrong in one
/// chosen way each, for the discovery tests (nothing here is ever loaded by the builder).
/// </summary>
public sealed class CraftedPlugin
{
    public string Name = "crafted";
    public Feature Rows = Feature.Argo;
    public bool Marked = true;
    public bool Public = true;
    public Type RegisterParameter = typeof(HandlerRegistry);
    public bool RegisterStatic = true;
    public bool HasRegister = true;
    public Type InitReturn = typeof(void);
    public bool HasInit = true;
    public Type BootPolicyType;
    public Type BootPolicySizeType;
    public int EntryClasses = 1;

    public string Save(string dir)
    {
        var ab = new PersistedAssemblyBuilder(new AssemblyName("Crafted." + Name + Guid.NewGuid().ToString("N")[..8]), typeof(object).Assembly);
        ModuleBuilder mb = ab.DefineDynamicModule("Crafted");
        for (int i = 0; i < EntryClasses; i++)
        {
            var attrs = TypeAttributes.Class | TypeAttributes.Abstract | TypeAttributes.Sealed | (Public ? TypeAttributes.Public : TypeAttributes.NotPublic);
            TypeBuilder tb = mb.DefineType($"Crafted.Plugin{i}", attrs);
            if (Marked)
            {
                ConstructorInfo ctor = typeof(HypervisorPluginAttribute).GetConstructor(new[] { typeof(string), typeof(Feature) })!;
                tb.SetCustomAttribute(new CustomAttributeBuilder(ctor, new object[] { Name, Rows }));
            }
            if (HasRegister)
                Method(tb, "Register", typeof(void), RegisterParameter, RegisterStatic);
            if (HasInit)
                Method(tb, "Init", InitReturn, typeof(Hypervisor), true);
            if (BootPolicyType != null) tb.DefineField("BootPolicy", BootPolicyType, FieldAttributes.Public | FieldAttributes.Static);
            if (BootPolicySizeType != null) tb.DefineField("BootPolicySize", BootPolicySizeType, FieldAttributes.Public | FieldAttributes.Static);
            tb.CreateType();
        }
        string path = Path.Combine(dir, Name + ".dll");
        ab.Save(path);
        return path;
    }

    static void Method(TypeBuilder tb, string name, Type returns, Type parameter, bool isStatic)
    {
        var attrs = MethodAttributes.Public | (isStatic ? MethodAttributes.Static : MethodAttributes.Virtual | MethodAttributes.Abstract);
        MethodBuilder m = tb.DefineMethod(name, attrs, returns, new[] { parameter });
        if (!isStatic) return;
        ILGenerator il = m.GetILGenerator();
        if (returns != typeof(void)) il.Emit(OpCodes.Ldc_I4_0);
        il.Emit(OpCodes.Ret);
    }
}
