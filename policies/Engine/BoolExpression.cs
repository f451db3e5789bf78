using System.Collections.Generic;
using XenLite.Flask;

namespace XenLite.Policy;

/// <summary>Parses a when() expression (names, !, &amp;&amp;, ||, parentheses) into the postfix tokens the
/// blob stores, and evaluates them for the toolstack's own decisions.</summary>
static class BoolExpression
{
    public static uint[] Compile(string text, IReadOnlyDictionary<string, int> bools, out string error)
    {
        var output = new List<uint>();
        var p = new Parser(text, bools);
        error = p.ParseOr(output) && p.AtEnd() ? null : p.Error ?? $"cannot parse condition '{text}'";
        return error == null ? output.ToArray() : null;
    }

    public static bool Evaluate(uint[] tokens, IReadOnlyList<bool> values)
    {
        var stack = new Stack<bool>();
        foreach (uint tok in tokens)
        {
            if (tok == PolicyFormat.TokNot) stack.Push(!stack.Pop());
            else if (tok == PolicyFormat.TokAnd) { bool b = stack.Pop(), a = stack.Pop(); stack.Push(a && b); }
            else if (tok == PolicyFormat.TokOr) { bool b = stack.Pop(), a = stack.Pop(); stack.Push(a || b); }
            else stack.Push(values[(int)tok]);
        }
        return stack.Pop();
    }

    sealed class Parser(string text, IReadOnlyDictionary<string, int> bools)
    {
        int _at;
        public string Error;

        void Skip() { while (_at < text.Length && char.IsWhiteSpace(text[_at])) _at++; }

        bool Eat(string token)
        {
            Skip();
            if (string.CompareOrdinal(text, _at, token, 0, token.Length) != 0) return false;
            _at += token.Length;
            return true;
        }

        public bool AtEnd() { Skip(); return _at == text.Length; }

        public bool ParseOr(List<uint> output)
        {
            if (!ParseAnd(output)) return false;
            while (Eat("||")) { if (!ParseAnd(output)) return false; output.Add(PolicyFormat.TokOr); }
            return true;
        }

        bool ParseAnd(List<uint> output)
        {
            if (!ParseUnary(output)) return false;
            while (Eat("&&")) { if (!ParseUnary(output)) return false; output.Add(PolicyFormat.TokAnd); }
            return true;
        }

        bool ParseUnary(List<uint> output)
        {
            if (Eat("!")) { if (!ParseUnary(output)) return false; output.Add(PolicyFormat.TokNot); return true; }
            if (Eat("(")) return ParseOr(output) && Eat(")");
            Skip();
            int start = _at;
            while (_at < text.Length && (char.IsLetterOrDigit(text[_at]) || text[_at] == '_')) _at++;
            if (_at == start) return false;
            string name = text[start.._at];
            if (!bools.TryGetValue(name, out int index)) { Error = $"unknown boolean '{name}'"; return false; }
            output.Add((uint)index);
            return true;
        }
    }
}
