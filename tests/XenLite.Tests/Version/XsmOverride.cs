using System;
using System.Reflection;
using System.Reflection.Emit;
using XenLite.Hv.Xsm;

namespace XenLite.Tests.XenVersion;

/// <summary>
/// An XSM module that answers one hook with a fixed result and passes every other hook to
/// the dummy module, standing in for a policy that refuses. Generated at run time so it keeps
/// working while hooks are added to <see cref="XsmModule"/>.
/// </summary>
public static class XsmOverride
{
    static readonly ModuleBuilder Module = AssemblyBuilder
        .DefineDynamicAssembly(new AssemblyName("XsmOverrides"), AssemblyBuilderAccess.Run)
        .DefineDynamicModule("XsmOverrides");
    static int _types;

    public static XsmModule Create(string hook, int result)
    {
        Type baseType = typeof(XsmModule);
        TypeBuilder tb;
        lock (Module) tb = Module.DefineType("Override" + _types++ + "_" + hook, TypeAttributes.Public | TypeAttributes.Sealed, baseType);
        FieldBuilder inner = tb.DefineField("_inner", baseType, FieldAttributes.Private | FieldAttributes.InitOnly);

        ConstructorBuilder ctor = tb.DefineConstructor(MethodAttributes.Public, CallingConventions.Standard, Type.EmptyTypes);
        ILGenerator il = ctor.GetILGenerator();
        il.Emit(OpCodes.Ldarg_0);
        il.Emit(OpCodes.Call, baseType.GetConstructor(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic, Type.EmptyTypes)!);
        il.Emit(OpCodes.Ldarg_0);
        il.Emit(OpCodes.Newobj, typeof(DummyXsm).GetConstructor(Type.EmptyTypes)!);
        il.Emit(OpCodes.Stfld, inner);
        il.Emit(OpCodes.Ret);

        bool found = false;
        foreach (MethodInfo m in baseType.GetMethods(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic))
        {
            if (!m.IsAbstract) continue;
            Type[] ps = Array.ConvertAll(m.GetParameters(), p => p.ParameterType);
            MethodBuilder mb = tb.DefineMethod(m.Name, MethodAttributes.Public | MethodAttributes.Virtual | MethodAttributes.HideBySig,
                m.ReturnType, ps);
            il = mb.GetILGenerator();
            if (m.Name == hook && m.ReturnType == typeof(int))
            {
                found = true;
                il.Emit(OpCodes.Ldc_I4, result);
            }
            else
            {
                il.Emit(OpCodes.Ldarg_0);
                il.Emit(OpCodes.Ldfld, inner);
                for (int i = 0; i < ps.Length; i++) il.Emit(OpCodes.Ldarg, i + 1);
                il.Emit(OpCodes.Callvirt, m);
            }
            il.Emit(OpCodes.Ret);
            tb.DefineMethodOverride(mb, m);
        }
        if (!found) throw new ArgumentException($"XsmModule has no int hook named {hook}");
        return (XsmModule)Activator.CreateInstance(tb.CreateType())!;
    }
}
