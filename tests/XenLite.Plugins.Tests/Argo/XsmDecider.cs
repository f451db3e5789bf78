using System;
using System.Reflection;
using System.Reflection.Emit;
using XenLite.Hv.Xsm;

namespace XenLite.Plugins.Tests.Argo;

/// <summary>
/// An XSM module whose int hooks first ask a test's function (hook name, arguments); it answers
/// <see cref="Pass"/> to let the dummy module decide. Stands in for a policy that refuses some
/// domains and not others. Generated at run time so it follows additions to <see cref="XsmModule"/>.
/// </summary>
public static class XsmDecider
{
    public const int Pass = int.MinValue;

    static readonly ModuleBuilder Module = AssemblyBuilder
        .DefineDynamicAssembly(new AssemblyName("XsmDeciders"), AssemblyBuilderAccess.Run)
        .DefineDynamicModule("XsmDeciders");
    static Type _type;

    public static XsmModule Create(Func<string, object[], int> decide)
    {
        lock (Module) _type ??= Build();
        return (XsmModule)Activator.CreateInstance(_type, decide)!;
    }

    static Type Build()
    {
        Type baseType = typeof(XsmModule);
        Type fn = typeof(Func<string, object[], int>);
        TypeBuilder tb = Module.DefineType("XsmDecider", TypeAttributes.Public | TypeAttributes.Sealed, baseType);
        FieldBuilder inner = tb.DefineField("_inner", baseType, FieldAttributes.Private | FieldAttributes.InitOnly);
        FieldBuilder decide = tb.DefineField("_decide", fn, FieldAttributes.Private | FieldAttributes.InitOnly);

        ConstructorBuilder ctor = tb.DefineConstructor(MethodAttributes.Public, CallingConventions.Standard, new[] { fn });
        ILGenerator il = ctor.GetILGenerator();
        il.Emit(OpCodes.Ldarg_0);
        il.Emit(OpCodes.Call, baseType.GetConstructor(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic, Type.EmptyTypes)!);
        il.Emit(OpCodes.Ldarg_0);
        il.Emit(OpCodes.Newobj, typeof(DummyXsm).GetConstructor(Type.EmptyTypes)!);
        il.Emit(OpCodes.Stfld, inner);
        il.Emit(OpCodes.Ldarg_0);
        il.Emit(OpCodes.Ldarg_1);
        il.Emit(OpCodes.Stfld, decide);
        il.Emit(OpCodes.Ret);

        foreach (MethodInfo m in baseType.GetMethods(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic))
        {
            if (!m.IsAbstract) continue;
            Type[] ps = Array.ConvertAll(m.GetParameters(), p => p.ParameterType);
            MethodBuilder mb = tb.DefineMethod(m.Name, MethodAttributes.Public | MethodAttributes.Virtual | MethodAttributes.HideBySig, m.ReturnType, ps);
            il = mb.GetILGenerator();
            Label pass = il.DefineLabel();
            bool asks = m.ReturnType == typeof(int) && Array.TrueForAll(ps, p => !p.IsByRef);
            if (asks)
            {
                il.Emit(OpCodes.Ldarg_0);
                il.Emit(OpCodes.Ldfld, decide);
                il.Emit(OpCodes.Ldstr, m.Name);
                il.Emit(OpCodes.Ldc_I4, ps.Length);
                il.Emit(OpCodes.Newarr, typeof(object));
                for (int i = 0; i < ps.Length; i++)
                {
                    il.Emit(OpCodes.Dup);
                    il.Emit(OpCodes.Ldc_I4, i);
                    il.Emit(OpCodes.Ldarg, i + 1);
                    if (ps[i].IsValueType) il.Emit(OpCodes.Box, ps[i]);
                    il.Emit(OpCodes.Stelem_Ref);
                }
                il.Emit(OpCodes.Callvirt, fn.GetMethod("Invoke")!);
                il.Emit(OpCodes.Dup);
                il.Emit(OpCodes.Ldc_I4, Pass);
                il.Emit(OpCodes.Beq, pass);
                il.Emit(OpCodes.Ret);
                il.MarkLabel(pass);
                il.Emit(OpCodes.Pop);
            }
            il.Emit(OpCodes.Ldarg_0);
            il.Emit(OpCodes.Ldfld, inner);
            for (int i = 0; i < ps.Length; i++) il.Emit(OpCodes.Ldarg, i + 1);
            il.Emit(OpCodes.Callvirt, m);
            il.Emit(OpCodes.Ret);
            tb.DefineMethodOverride(mb, m);
        }
        return tb.CreateType();
    }
}
