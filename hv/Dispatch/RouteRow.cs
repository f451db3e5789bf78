using XenLite.Hv.Abi;

namespace XenLite.Hv.Dispatch;

/// <summary>One row of the routing table: a hypercall and the cell for each guest mode.</summary>
public readonly struct RouteRow
{
    public readonly string Name;
    public readonly int Number;
    public readonly Feature Feature;
    public readonly Cell Pv32, Pv64, Hvm32, Hvm64, Arm;

    public RouteRow(string name, int number, Feature feature, Cell pv32, Cell pv64, Cell hvm32, Cell hvm64, Cell arm)
    {
        Name = name;
        Number = number;
        Feature = feature;
        Pv32 = pv32;
        Pv64 = pv64;
        Hvm32 = hvm32;
        Hvm64 = hvm64;
        Arm = arm;
    }

    public Cell For(GuestMode mode) => mode switch
    {
        GuestMode.Pv32 => Pv32,
        GuestMode.Pv64 => Pv64,
        GuestMode.Hvm32 => Hvm32,
        GuestMode.Hvm64 => Hvm64,
        _ => Arm,
    };
}
