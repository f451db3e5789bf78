using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using NUnit.Framework;

namespace XenLite.Tests.Abi;

/// <summary>Checks a C# constants class against the values of Xen's C macros.</summary>
static class ConstantAssert
{
    /// <summary>The class's public constants must be exactly the listed names, with these values.</summary>
    public static void Exactly(System.Type cls, params (string Name, long Value)[] expected)
    {
        Assert.That(Constants(cls).Keys, Is.EquivalentTo(expected.Select(e => e.Name)), $"{cls.Name}: constants vs the header's");
        Includes(cls, expected);
    }

    /// <summary>The class must hold each listed constant with its value (it may hold more).</summary>
    public static void Includes(System.Type cls, params (string Name, long Value)[] expected)
    {
        var actual = Constants(cls);
        foreach (var (name, value) in expected)
        {
            Assert.That(actual.ContainsKey(name), $"{cls.Name}.{name} is missing");
            Assert.That(actual[name], Is.EqualTo(value), $"{cls.Name}.{name}");
        }
    }

    static Dictionary<string, long> Constants(System.Type cls) =>
        cls.GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.IsLiteral)
            .ToDictionary(f => f.Name, f => System.Convert.ToInt64(f.GetRawConstantValue()));
}
