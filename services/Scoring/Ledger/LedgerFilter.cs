using Ops.Hosting.Http;
using Ops.Scoring.Assessment;

namespace Ops.Scoring.Ledger;

/// <summary>The query string of the ledger list, as sent: every value is checked before it reaches the database.</summary>
public sealed record LedgerQuery(string? Contract, string? Item, string? Source, string? From, string? To, string? Limit, string? After);

/// <summary>The query string of a ledger export: the list's filters, without its paging, and the format.</summary>
public sealed record LedgerExportQuery(string? Contract, string? Item, string? Source, string? From, string? To, string? Format)
{
    public LedgerQuery AsListQuery() => new(Contract, Item, Source, From, To, Limit: null, After: null);
}

/// <summary>
/// A checked ledger query: the entries of one contract, of an item and a source if given, that occurred in
/// [<see cref="From"/>, <see cref="To"/>), after entry number <see cref="After"/>, in ledger order.
/// </summary>
public sealed record LedgerFilter(ContractTerms Terms, int? Item, DeductionSource? Source, DateTimeOffset? From, DateTimeOffset? To, int Limit, long After)
{
    public const int MaxLimit = 200;
    public const int DefaultLimit = 50;

    /// <summary>Checks the query; <paramref name="inScope"/> admits the contracts the caller holds whole.</summary>
    public static (LedgerFilter? Filter, ValidationErrors Errors) Parse(LedgerQuery query, ContractBook contracts, Func<string, bool> inScope)
    {
        var errors = new ValidationErrors();
        var terms = AssessmentApi.FindContract(query.Contract, contracts, errors, inScope);
        var item = ItemOf(query.Item, terms, errors);
        var source = QueryValues.Choice<DeductionSource>(query.Source, "source", errors);
        var from = QueryValues.Time(query.From, "from", errors);
        var to = QueryValues.Time(query.To, "to", errors);
        if (from is not null && to is not null && from > to)
        {
            errors.Add("to", L10n.Of("“to”不能早于“from”。", "'to' must not be before 'from'."));
        }

        var limit = QueryValues.WholeNumber(query.Limit, "limit", 1, MaxLimit, DefaultLimit, errors);
        var after = QueryValues.WholeNumber(query.After, "after", 0, int.MaxValue, 0, errors);
        return terms is not null && errors.IsEmpty
            ? (new LedgerFilter(terms, item, source, from, to, limit, after), errors)
            : (null, errors);
    }

    /// <summary>One of the contract's assessment items (1–15 in the seed contract); null when left out.</summary>
    private static int? ItemOf(string? value, ContractTerms? terms, ValidationErrors errors)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        var number = QueryValues.WholeNumber(value, "item", 1, 1000, 0, errors);
        if (number == 0 || terms is null)
        {
            return null;
        }

        if (terms.Assessment.Items.All(i => i.Number != number))
        {
            var items = L10n.List(terms.Assessment.Items.Select(i => i.Number));
            errors.Add("item", L10n.Of($"“item”须为合同的考核项目之一：{items}。", $"'item' must be one of the contract's items: {items}."));
            return null;
        }

        return number;
    }

    /// <summary>The parameters of the ledger's filter statements.</summary>
    public object Parameters() => new
    {
        Contract = Terms.Code,
        Item,
        Source = Source?.ToString().ToLowerInvariant(),
        From,
        To,
        Limit,
        After = (long)After,
    };
}
